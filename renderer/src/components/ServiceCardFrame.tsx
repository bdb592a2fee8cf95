import type { ReactNode } from 'react';
import type { Tone } from './service-display';

/** The frame every service card shares: title, status badge, then the card's own content. */
export function ServiceCardFrame({ id, title, label, tone, children }: { id: string; title: string; label: string; tone: Tone; children: ReactNode }) {
  return (
    <article className="card service" data-testid={`service-${id}`} aria-label={title}>
      <header>
        <h2>{title}</h2>
        <span className={`badge badge-${tone}`} data-testid="service-status" role="status">
          {label}
        </span>
      </header>
      {children}
    </article>
  );
}
