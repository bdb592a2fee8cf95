import { z } from 'zod';

/**
 * Which AMD cards get an inference worker (setting `inference.gpus`): `all` found on the host,
 * `none` (one CPU worker), or a list of card names. A comma-separated string is a list too, so
 * `RX580_OPS_INFERENCE_GPUS=card0,card2` works like `["card0", "card2"]`.
 */

const cardName = z.string().regex(/^card\d+$/, { error: (iss) => `"${String(iss.input)}" is not a card name (card0, card1, …)` });

const cardList = z
  .array(cardName)
  .min(1, { error: "list at least one card, or use 'all' or 'none'" })
  .superRefine((cards, ctx) => {
    const twice = [...new Set(cards.filter((c, i) => cards.indexOf(c) !== i))];
    if (twice.length > 0) ctx.addIssue({ code: 'custom', message: `${twice.join(', ')} listed more than once` });
  });

export const gpuSelectionSchema = z.preprocess(
  (v) => (typeof v === 'string' && v !== 'all' && v !== 'none' ? v.split(',').map((c) => c.trim()).filter(Boolean) : v),
  z.union([z.enum(['all', 'none']), cardList], { error: "must be 'all', 'none' or a list of card names like card0" }),
);

export type GpuSelection = z.output<typeof gpuSelectionSchema>;
