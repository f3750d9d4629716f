/**
 * The posts (Flask's tutorial: flaskr/blog.py): the index lists every post; logged-in users write posts, and edit
 * and delete their own. Each view is a named function, its name the endpoint (`blog.update`); `loginRequired` wraps
 * the ones that need a user, as `@login_required` does under `@bp.route` in Flask.
 */
import { abort, Blueprint, flash, g, redirect, renderTemplate, urlFor } from 'flagon';
import { loginRequired } from './auth.js';
import { getDb } from './db.js';

/**
 * A post with its author's name, as the views select it.
 *
 * @example
 * const post: Post = getPost(1);
 */
export interface Post {
  id: number;
  title: string;
  body: string;
  created: string;
  author_id: number;
  username: string;
}

/**
 * The `blog` blueprint, at the root: it has no urlPrefix.
 *
 * @example
 * app.registerBlueprint(blog);
 */
export const blog = new Blueprint('blog', import.meta.url);

const SELECT_POSTS =
  'SELECT p.id, title, body, created, author_id, username FROM post p JOIN user u ON p.author_id = u.id';

/**
 * A post and its author, by id. Aborts with 404 when there is no such post, and with 403 when `checkAuthor` is on
 * (the default) and the logged-in user did not write it.
 *
 * @example
 * const post = getPost(1); // inside a request of the post's author
 */
export function getPost(id: number, checkAuthor = true): Post {
  const post = getDb().get(`${SELECT_POSTS} WHERE p.id = ?`, [id]) as Post | null;
  if (post === null) abort(404, `Post id ${id} doesn't exist.`);
  if (checkAuthor && post.author_id !== g.user?.id) abort(403);
  return post;
}

// Show all the posts, most recent first (the id breaks ties: CURRENT_TIMESTAMP counts whole seconds).
blog.get('/', function index() {
  const posts = getDb().all(`${SELECT_POSTS} ORDER BY created DESC, p.id DESC`);
  return renderTemplate('blog/index.html', { posts });
});

// Create a new post for the current user.
blog.route(
  '/create',
  { methods: ['GET', 'POST'] },
  loginRequired(async function create(req) {
    let title = '';
    let body = '';
    if (req.method === 'POST') {
      const form = await req.form();
      title = form.get('title') ?? '';
      body = form.get('body') ?? '';
      if (!title) {
        flash('Title is required.');
      } else {
        getDb().run('INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)', [title, body, g.user!.id]);
        return redirect(urlFor('blog.index'));
      }
    }
    // What the user typed goes back into the form (Flask's template reads request.form; here the view passes it).
    return renderTemplate('blog/create.html', { title, body });
  }),
);

// Update a post if the current user is the author.
blog.route(
  '/<int:id>/update',
  { methods: ['GET', 'POST'] },
  loginRequired(async function update(req) {
    const post = getPost(req.params.id);
    let { title, body } = post;
    if (req.method === 'POST') {
      const form = await req.form();
      title = form.get('title') ?? '';
      body = form.get('body') ?? '';
      if (!title) {
        flash('Title is required.');
      } else {
        getDb().run('UPDATE post SET title = ?, body = ? WHERE id = ?', [title, body, post.id]);
        return redirect(urlFor('blog.index'));
      }
    }
    return renderTemplate('blog/update.html', { post, title, body });
  }),
);

// Delete a post: it must exist, and the logged-in user must be its author.
// `delete` is a reserved word, so the function has another name and the endpoint is given: `blog.delete`.
blog.route(
  '/<int:id>/delete',
  { methods: ['POST'], endpoint: 'delete' },
  loginRequired(function deletePost(req) {
    const post = getPost(req.params.id);
    getDb().run('DELETE FROM post WHERE id = ?', [post.id]);
    return redirect(urlFor('blog.index'));
  }),
);
