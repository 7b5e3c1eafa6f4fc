import type { MsgKey } from '../i18n/en.js';

type T = (key: MsgKey, vars?: Record<string, string | number>) => string;

const LIMITS = new Set(['minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems']);

/** ajv's finding about one field (its keyword and params) in the owner's words. */
export function fieldProblem(keyword: unknown, params: Record<string, unknown>, t: T): string {
  if (keyword === 'required' || keyword === 'minProperties') return t('err.required');
  if ((keyword === 'minLength' || keyword === 'minItems') && Number(params.limit) === 1) return t('err.empty');
  if (keyword === 'pattern') return t('err.pattern');
  if (typeof keyword === 'string' && LIMITS.has(keyword)) return t(`err.kw.${keyword}` as MsgKey, { limit: String(params.limit) });
  if (keyword === 'type' || keyword === 'enum' || keyword === 'format' || keyword === 'additionalProperties') return t(`err.kw.${keyword}`);
  return t('err.kw.other');
}

/** ajv's English messages (what field errors of a 400 carry) and the keyword each comes from. */
const AJV_MESSAGES: Array<[RegExp, string]> = [
  [/^must have required property/, 'required'],
  [/^must NOT have fewer than (\d+) characters/, 'minLength'],
  [/^must NOT have more than (\d+) characters/, 'maxLength'],
  [/^must NOT have fewer than (\d+) items/, 'minItems'],
  [/^must NOT have more than (\d+) items/, 'maxItems'],
  [/^must NOT have fewer than (\d+) properties/, 'minProperties'],
  [/^must be >= (\S+)/, 'minimum'],
  [/^must be <= (\S+)/, 'maximum'],
  [/^must be > (\S+)/, 'exclusiveMinimum'],
  [/^must be < (\S+)/, 'exclusiveMaximum'],
  [/^must match pattern/, 'pattern'],
  [/^must match format/, 'format'],
  [/^must be equal to one of the allowed values/, 'enum'],
  [/^must be (string|number|integer|boolean|object|array|null)\b/, 'type'],
  [/^must NOT have additional properties/, 'additionalProperties'],
];

/** A field error as the server wrote it, retold in the UI language when it is one of ajv's; anything else as is. */
export function localizeFieldError(message: string, t: T): string {
  for (const [re, keyword] of AJV_MESSAGES) {
    const m = re.exec(message);
    if (m) return fieldProblem(keyword, { limit: m[1] }, t);
  }
  return message;
}
