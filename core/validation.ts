import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. /client/phone */
  path: string;
  message: string;
}

/** One ajv setup for manifests, plugin configs, flows and API input. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false, ...options });
  addFormats(ajv);
  // Editor hints live next to the schema; ajv must not reject them.
  ajv.addKeyword({ keyword: 'x-ui' });
  return ajv;
}

export function fieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    return { path: `${prefix}${path}` || '/', message: e.message ?? 'is invalid' };
  });
}
