/**
 * The posts (Flask's tutorial: flaskr/blog.py), written with standard TC39 decorators on static methods: each method
 * is a view, its name the endpoint (`blog.update`). Decorators apply bottom up, so `@loginRequired` wraps the method
 * first and the route decorator above it registers the wrapped view. auth.ts shows the builder style.
 */
import { abort, Blueprint, flash, g, redirect, renderTemplate, urlFor, type Request } from 'flagon';
import { loginRequired } from './auth.js';
import { getDb } from './db.js';

export interface Post {
  id: number;
  title: string;
  body: string;
  created: string;
  author_id: number;
  username: string;
}

export const blog = new Blueprint('blog', import.meta.url);

/** A post of the logged-in user, with their name: 404 if there is no such post, 403 if it is someone else's. */
function getOwnPost(id: number): Post {
  const post = getDb().get(
    'SELECT p.id, title, body, created, author_id, username FROM post p JOIN user u ON p.author_id = u.id WHERE p.id = ?',
    [id],
  ) as Post | null;
  if (post === null) abort(404, `Post id ${id} doesn't exist.`);
  if (post.author_id !== g.user?.id) abort(403);
  return post;
}

/** The title and body of the posted form, trimmed as the user will see them again if something is missing. */
async function readForm(req: Request): Promise<{ title: string; body: string }> {
  const form = await req.form();
  return { title: form.get('title')?.trim() ?? '', body: form.get('body') ?? '' };
}

export class BlogViews {
  @blog.get('/')
  static index() {
    const posts = getDb().all(
      'SELECT p.id, title, body, created, author_id, username FROM post p JOIN user u ON p.author_id = u.id ORDER BY created DESC, p.id DESC',
    );
    return renderTemplate('blog/index.html', { posts });
  }

  @blog.route('/create', { methods: ['GET', 'POST'] })
  @loginRequired
  static async create(req: Request) {
    if (req.method !== 'POST') return renderTemplate('blog/create.html', { title: '', body: '' });
    const form = await readForm(req);
    if (!form.title) {
      flash('Title is required.', 'error');
      return renderTemplate('blog/create.html', form);
    }
    getDb().run('INSERT INTO post (title, body, author_id) VALUES (?, ?, ?)', [form.title, form.body, g.user!.id]);
    return redirect(urlFor('blog.index'));
  }

  @blog.route('/<int:id>/update', { methods: ['GET', 'POST'] })
  @loginRequired
  static async update(req: Request<{ id: number }>) {
    const post = getOwnPost(req.params.id);
    if (req.method !== 'POST') return renderTemplate('blog/update.html', { post, title: post.title, body: post.body });
    const form = await readForm(req);
    if (!form.title) {
      flash('Title is required.', 'error');
      return renderTemplate('blog/update.html', { post, ...form });
    }
    getDb().run('UPDATE post SET title = ?, body = ? WHERE id = ?', [form.title, form.body, post.id]);
    return redirect(urlFor('blog.index'));
  }

  @blog.post('/<int:id>/delete')
  @loginRequired
  static delete(req: Request<{ id: number }>) {
    const post = getOwnPost(req.params.id);
    getDb().run('DELETE FROM post WHERE id = ?', [post.id]);
    return redirect(urlFor('blog.index'));
  }
}
