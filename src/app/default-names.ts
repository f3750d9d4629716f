/** @module Default names (layer L3): what Flask derives when none is given: an anonymous view's endpoint from its rule, a static folder's URL path from the folder's name. */

/**
 * An endpoint for an anonymous handler, made from its rule: `/` → `index`, `/users/<int:id>` → `users_id`; a
 * route without GET gets its methods appended (`login_post`).
 *
 * @example
 * endpointFromRule('/users/<int:id>', ['GET']); // 'users_id'
 */
export function endpointFromRule(rule: string, methods: readonly string[]): string {
  const base =
    rule
      .replace(/<(?:[^:>]*:)?([^>]+)>/g, '$1')
      .split('/')
      .filter(Boolean)
      .join('_')
      .replace(/\W+/g, '_') || 'index';
  return methods.includes('GET') || methods.length === 0
    ? base
    : `${base}_${methods.map((m) => m.toLowerCase()).join('_')}`;
}

/**
 * Flask's default static URL path: the static folder's own name under the root, so `staticFolder: 'public'` is served
 * at `/public/…`, and a folder given as `''` (the app's own folder) at `/…`.
 *
 * @example
 * staticUrlPathFor('assets/'); // '/assets'
 */
export function staticUrlPathFor(folder: string): string {
  const name = folder.replace(/\/+$/, '').split('/').pop() ?? '';
  return `/${name}`.replace(/\/$/, '');
}
