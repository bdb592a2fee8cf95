import { useRef, useState } from 'react';
import { shortHostKey } from './rig-view';

/**
 * A pinned host key: shortened, the whole in its title and for a screen reader, with a Copy button
 * (to the clipboard; where the clipboard is refused, the whole key is selected for Ctrl+C).
 */
export function HostKey({ value, testId }: { value: string | null; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const full = useRef<HTMLSpanElement>(null);
  if (!value) return <span className="muted">none</span>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      if (full.current) window.getSelection()?.selectAllChildren(full.current);
      setCopied('no');
    }
    setTimeout(() => setCopied(null), 2500);
  };
  return (
    <span className="host-key">
      <code className="mono" title={value} aria-hidden="true" data-testid={testId}>
        {shortHostKey(value)}
      </code>
      <span ref={full} className="visually-hidden" data-testid={`${testId}-full`}>
        {value}
      </span>
      <button type="button" className="small-button" aria-label={`Copy host key ${value}`} onClick={() => void copy()} data-testid={`${testId}-copy`}>
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Selected: Ctrl+C' : 'Copy'}
      </button>
    </span>
  );
}
