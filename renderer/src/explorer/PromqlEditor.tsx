import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forEachDiagnostic, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { contractPromClient } from './contract-prom-client';

const theme = EditorView.theme({
  '&': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '6px', fontSize: '14px' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, monospace", padding: '8px 0', caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { background: 'var(--accent)', color: '#fff' },
});

/** PromQL colours from styles.css, so they follow the light or dark theme. */
const highlight = HighlightStyle.define([
  { tag: [tags.operatorKeyword, tags.modifier, tags.logicOperator], color: 'var(--hl-keyword)' },
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

interface Props {
  value: string;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
}

/**
 * The PromQL editor: CodeMirror 6 with Prometheus's own language support (highlighting,
 * completion of metric and label names through our contract, and its linter). The linter's
 * findings also show below the editor, where they can be read without hovering.
 */
export function PromqlEditor({ value, onChange, onRun }: Props) {
  const api = useApi();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);

  useEffect(() => {
    const promql = new PromQLExtension().setComplete({ remote: contractPromClient(api) }).activateCompletion(true).activateLinter(true);
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          keymap.of([{ key: 'Mod-Enter', run: () => (callbacks.current.onRun(), true) }]),
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
          syntaxHighlighting(highlight),
          placeholder('PromQL, e.g. sum(rate(api_requests_total[1m]))'),
          promql.asExtension(),
          theme,
          EditorView.contentAttributes.of({ 'aria-label': 'PromQL query', 'data-testid': 'promql-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
            const found: Diagnostic[] = [];
            forEachDiagnostic(u.state, (d) => found.push(d));
            setDiagnostics((prev) => (sameDiagnostics(prev, found) ? prev : found));
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      promql.destroy();
      view.current = null;
    };
    // Created once per client: later values come from typing into it, not from props.
  }, [api]);

  return (
    <div className="promql-editor">
      <div ref={host} />
      {diagnostics.length > 0 && (
        <ul className="diagnostics" data-testid="promql-diagnostics" aria-live="polite">
          {diagnostics.map((d) => (
            <li key={`${d.from}-${d.message}`} className={`diagnostic-${d.severity}`}>
              {d.severity === 'error' ? 'Syntax error' : 'Note'} at {d.from + 1}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => d.from === b[i]!.from && d.message === b[i]!.message);
}
