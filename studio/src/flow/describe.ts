import type { MsgKey } from '../i18n/en.js';
import type { FlowError, LocalizedText } from '../types.js';
import type { Port } from './graph.js';

/**
 * The validator speaks English to developers; owners read its findings in the UI language.
 * Known codes are retold from their parts; anything else is shown as the server wrote it.
 */
export interface Speaker {
  t(key: MsgKey, vars?: Record<string, string | number>): string;
  text(value: LocalizedText | string | undefined | null): string;
}

export function describeError(e: FlowError, i18n: Speaker, ports: Port[] = []): string {
  const { t, text } = i18n;
  switch (e.code) {
    case 'PORT_UNCONNECTED': {
      const port = /^Port (\S+) of node/.exec(e.message)?.[1] ?? '';
      const label = ports.find((p) => p.id === port)?.label;
      return t('err.portUnconnected', { port: label ? text(label) : port });
    }
    case 'NODE_UNREACHABLE': return t('err.unreachable');
    case 'FLOW_NO_START': return t('err.noStart');
    case 'NODE_TYPE_UNKNOWN': return t('flow.unknownType');
    case 'VARIABLE_UNKNOWN': return t('err.varUnknown', { name: /^Variable (\S+)/.exec(e.message)?.[1] ?? '' });
    case 'VARIABLE_DUPLICATE': return t('err.varDuplicate', { name: /^Variable (\S+)/.exec(e.message)?.[1] ?? '' });
    case 'JUMP_TARGET_UNKNOWN': return t('err.jumpTarget', { key: /key (\S+)$/.exec(e.message)?.[1] ?? '' });
    case 'NODE_SETTINGS_INVALID':
    case 'GRAPH_SHAPE':
      if (/^must have required property/.test(e.message)) return t('err.required');
      if (/^must NOT have fewer than 1 characters/.test(e.message) || /^must NOT have fewer than 1 items/.test(e.message)) return t('err.empty');
      if (/^must match pattern/.test(e.message)) return t('err.pattern');
      return e.message;
    default:
      return e.message;
  }
}
