/** @module The form helper (layer L3): validate a submitted HTML form against a schema in the view, and get errors by field to re-render the page with (the Flask-WTF pattern). */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Request } from '../wrappers/request.js';
import { coerceEntries, coercionPlan, type CoercionPlan } from './coerce.js';

/**
 * What {@link validateForm} gives: the schema's output, or the messages by field (`'address.city'` for a nested one,
 * `'_form'` for the form as a whole) and the values as submitted (text, no files), to fill the inputs again.
 *
 * @example
 * const result: FormResult<{ email: string }> = { ok: false, errors: { email: ['Invalid email address'] }, values: { email: 'nope' } };
 */
export type FormResult<T> =
  | { readonly ok: true; readonly data: T }
  | {
      readonly ok: false;
      readonly errors: Readonly<Record<string, string[]>>;
      readonly values: Readonly<Record<string, unknown>>;
    };

const plans = new WeakMap<StandardSchemaV1, CoercionPlan>();

/**
 * Validates the request's form (urlencoded or multipart, files included) against `schema`, coerced as route schemas
 * are (docs/validation.md). For HTML apps that answer a bad form with the same page and the errors beside the fields,
 * rather than with a 422: call it in the view of a GET-and-POST route.
 *
 * @example
 * app.route('/signup', { methods: ['GET', 'POST'] }, async (req) => {
 *   if (req.method === 'GET') return renderTemplate('signup.html', { errors: {}, values: {} });
 *   const form = await validateForm(req, Signup);
 *   if (!form.ok) return renderTemplate('signup.html', { errors: form.errors, values: form.values });
 *   await createUser(form.data);
 *   return redirect('/welcome');
 * });
 */
export async function validateForm<S extends StandardSchemaV1>(
  req: Request,
  schema: S,
): Promise<FormResult<StandardSchemaV1.InferOutput<S>>> {
  let plan = plans.get(schema);
  if (plan === undefined) plans.set(schema, (plan = coercionPlan(schema)));
  const form = await req.form();
  const fields = [...form.keys()].map((key) => [key, form.getAll(key)] as const);
  const entries = new Map<string, unknown[]>(fields);
  if (req.mimetype === 'multipart/form-data') {
    const files = await req.files();
    for (const key of files.keys()) entries.set(key, [...(entries.get(key) ?? []), ...files.getAll(key)]);
  }
  let result = schema['~standard'].validate(coerceEntries(entries, plan));
  if (result instanceof Promise) result = await result;
  if (!result.issues) return { ok: true, data: result.value as StandardSchemaV1.InferOutput<S> };
  const errors = new Map<string, string[]>();
  for (const issue of result.issues) {
    const path = (issue.path ?? []).map((segment) =>
      String(typeof segment === 'object' && segment !== null ? segment.key : segment),
    );
    const field = path.length === 0 ? '_form' : path.join('.');
    errors.set(field, [...(errors.get(field) ?? []), issue.message]);
  }
  return { ok: false, errors: Object.fromEntries(errors), values: coerceEntries(fields, null) };
}
