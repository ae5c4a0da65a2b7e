import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldIssue } from './errors.js';

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`): under NodeNext the default
// import is the module object, whose `default` is the plugin
const addFormats = addFormatsModule.default;

function makeAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/** Bodies are checked as sent: a string is not a number, an extra field is an error, nothing is dropped. */
const bodies = makeAjv(false);
/** Query strings and path parameters arrive as text: convert them to the declared types. */
const parameters = makeAjv('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodies : parameters).compile(schema as object) as ReturnType<
    FastifySchemaCompiler<unknown>
  >;

/** `/items/0/price` → `items.0.price`; a missing property names itself. */
export function toFieldIssues(errors: readonly ErrorObject[], context?: string): FieldIssue[] {
  const prefix = context && context !== 'body' ? `${context}.` : '';
  return errors.map((e) => {
    const params = e.params as {
      missingProperty?: string;
      additionalProperty?: string;
      allowedValues?: unknown[];
    };
    const path = e.instancePath.slice(1).replaceAll('/', '.');
    const leaf = params.missingProperty ?? params.additionalProperty;
    const field = prefix + [path, leaf].filter(Boolean).join('.');
    if (params.missingProperty) return { field, message: 'is required' };
    if (params.additionalProperty) return { field, message: 'is not a known field' };
    if (params.allowedValues) return { field, message: `must be one of ${params.allowedValues.join(', ')}` };
    return { field: field || prefix.slice(0, -1) || 'body', message: e.message ?? 'is invalid' };
  });
}
