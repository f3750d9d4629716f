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
  let result = schema['~standard'].validate(coerceEntries(await formEntries(req), plan));
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

/**
 * A form's values by field name, in first-seen order: its text fields, and for multipart its files (FileStorage)
 * beside them. A file part with no filename and no bytes, what a browser sends for an `<input type=file>` left
 * empty, is no file: it is dropped, so a required file is missing and an optional one absent (Werkzeug's FileStorage
 * is falsy without a filename; Flask-WTF's FileRequired rejects it). Route validation reads forms with it too.
 *
 * @example
 * coerceEntries(await formEntries(req), plan);
 */
export async function formEntries(req: Request): Promise<Map<string, unknown[]>> {
  const form = await req.form();
  const entries = new Map<string, unknown[]>([...form.keys()].map((key) => [key, form.getAll(key)] as const));
  if (req.mimetype === 'multipart/form-data') {
    const files = await req.files();
    for (const key of files.keys()) {
      const sent = files.getAll(key).filter((file) => file.filename !== '' || file.size > 0);
      if (sent.length > 0) entries.set(key, [...(entries.get(key) ?? []), ...sent]);
    }
  }
  return entries;
}
