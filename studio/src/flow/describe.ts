import type { MsgKey } from '../i18n/en.js';
import type { FlowError, JsonSchema, LocalizedText } from '../types.js';
import { fieldLabel, schemaAt } from '../forms/schema.js';
import { fieldProblem, localizeFieldError } from '../forms/errors.js';
import { settingsPointer, type Port } from './graph.js';

/**
 * The validator speaks English to developers; owners read its findings in the UI language,
 * retold from the details it sends (labels of blocks and ports, ajv's keyword and params).
 */
export interface Speaker {
  t(key: MsgKey, vars?: Record<string, string | number>): string;
  text(value: LocalizedText | string | undefined | null): string;
}

/**
 * `schema` is the block's settings schema: with it a finding about a field names the field by its label
 * (for lists of problems, where the field is not next to it).
 */
export function describeError(e: FlowError, i18n: Speaker, ports: Port[] = [], schema?: JsonSchema): string {
  const { t, text } = i18n;
  const d = (e.details ?? {}) as Record<string, unknown>;
  switch (e.code) {
    case 'PORT_UNCONNECTED': {
      const id = typeof d.port === 'string' ? d.port : /^Port (\S+) of node/.exec(e.message)?.[1] ?? '';
      const label = (d.portLabel as LocalizedText | undefined) ?? ports.find((p) => p.id === id)?.label;
      const port = label ? text(label) || id : id;
      return t(d.item === 'buttons' ? 'err.buttonUnconnected' : d.item === 'rules' ? 'err.ruleUnconnected' : 'err.portUnconnected', { port });
    }
    case 'NODE_UNREACHABLE': return t('err.unreachable');
    case 'FLOW_NO_START': return t('err.noStart');
    case 'NODE_TYPE_UNKNOWN': return t('flow.unknownType');
    case 'VARIABLE_UNKNOWN': return t('err.varUnknown', { name: /^Variable (\S+)/.exec(e.message)?.[1] ?? '' });
    case 'VARIABLE_DUPLICATE': return t('err.varDuplicate', { name: /^Variable (\S+)/.exec(e.message)?.[1] ?? '' });
    case 'JUMP_TARGET_UNKNOWN': return t('err.jumpTarget', { key: /key (\S+)$/.exec(e.message)?.[1] ?? '' });
    case 'TEXT_LOCALE_MISSING': return named(t('err.textLocale', { lang: t(`lang.${String(d.locale)}` as MsgKey) }), e, i18n, schema, true);
    case 'NODE_SETTINGS_INVALID':
    case 'GRAPH_SHAPE':
      if (d.keyword) return named(fieldProblem(d.keyword, (d.params ?? {}) as Record<string, unknown>, t), e, i18n, schema);
      return localizeFieldError(e.message, t);
    default:
      return e.message;
  }
}

/** Prefixes the field's label when the schema is known; `up` for a finding about one language of a text. */
function named(message: string, e: FlowError, i18n: Speaker, schema: JsonSchema | undefined, up = false): string {
  if (!schema) return message;
  let pointer = settingsPointer(e.path);
  if (up) pointer = pointer.replace(/\/[^/]*$/, '');
  const key = pointer.split('/').filter((k) => !/^\d+$/.test(k)).pop();
  const field = key ? schemaAt(schema, pointer) : undefined;
  return field && key ? i18n.t('err.field', { field: i18n.text(fieldLabel(field, key)), message }) : message;
}
