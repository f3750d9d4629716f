/** @module Rules without a view (layer L3): Flask's URL aliases (`add_url_rule('/', endpoint='index')`) and the error for an endpoint that never got a view. */
import type { Router } from '../routing/router.js';
import type { Rule, RuleOptions } from '../routing/rule.js';
import { FlagonError } from './errors.js';

/**
 * Adds a rule for `App.addUrlRule`. A rule added without a view that repeats an earlier rule's path and methods is
 * Flask's URL alias (the tutorial's `app.add_url_rule('/', endpoint='index')` after the blog's `/`): Werkzeug lets
 * the earlier rule answer requests, so the alias only builds URLs, and Flagon adds it build-only instead of refusing
 * it as a duplicate. A rule with a view that repeats another is still the router's duplicate error.
 *
 * @example
 * const rule = addRuleOrAlias(app.router, '/', false, { endpoint: 'index', methods: ['GET'] });
 */
export function addRuleOrAlias(router: Router, rule: string, hasView: boolean, options: RuleOptions): Rule {
  try {
    return router.add(rule, options);
  } catch (error) {
    if (hasView || !(error instanceof FlagonError) || error.code !== 'FLAGON_ERR_DUPLICATE_RULE') throw error;
    return router.add(rule, { ...options, buildOnly: true });
  }
}

/**
 * The error for a request whose endpoint has no view (Flask's KeyError): its rule was added without `view`, and
 * nothing registered one since. Names the ways to register one.
 *
 * @example
 * if (!view) throw missingView(match.endpoint, match.rule.rule);
 */
export function missingView(endpoint: string, rule: string): FlagonError {
  return new FlagonError(
    'FLAGON_ERR_NO_VIEW',
    `No view function is registered for the endpoint '${endpoint}': its rule '${rule}' was added without one. Register it with app.endpoint('${endpoint}', view), app.viewFunctions.set('${endpoint}', view) or addUrlRule('${rule}', { endpoint: '${endpoint}', view }). To make '${rule}' another URL of an existing view's path, add this rule after that view's rule: the first rule for a path answers it.`,
  );
}
