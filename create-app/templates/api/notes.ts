/**
 * The `notes` resource: list, get, create, update and delete, as a blueprint (its routes are tagged `notes` in the
 * API docs). Each route gives its schemas in its options: Flagon validates the request before the view runs, so a
 * view only ever sees valid values, in `req.valid`, typed from the schemas. The `response` schema checks what the
 * view returns (TypeScript checks it too) and strips any key it does not name before the JSON goes out.
 */
import { abort, Blueprint, urlFor } from 'flagon';
import { NewNote, Note, NotePage, NotePatch, NoteQuery, Problem } from './schemas.js';
import type { NoteStore } from './store.js';

const notFound = { 404: { description: 'No note has this id.', schema: Problem } };

export function notesBlueprint(store: NoteStore): Blueprint {
  const notes = new Blueprint('notes', import.meta.url);

  notes.get(
    '/notes',
    { endpoint: 'list', query: NoteQuery, response: NotePage, summary: 'List notes', description: 'Newest last.' },
    (req) => {
      const { page, per_page, q } = req.valid.query;
      return { ...store.list({ page, per_page, q }), page, per_page };
    },
  );

  notes.get(
    '/notes/<int:id>',
    { endpoint: 'get', response: Note, summary: 'Get a note', responses: notFound },
    (req) => {
      return store.get(req.valid.params.id) ?? abort(404, `No note has the id ${req.valid.params.id}.`);
    },
  );

  notes.post(
    '/notes',
    {
      endpoint: 'create',
      body: NewNote,
      response: Note,
      summary: 'Create a note',
      responses: { 201: { description: 'The note, created; Location is its URL.' } },
    },
    (req) => {
      const note = store.create(req.valid.body);
      return [note, 201, { Location: urlFor('notes.get', { id: note.id }) }] as const;
    },
  );

  notes.patch(
    '/notes/<int:id>',
    { endpoint: 'update', body: NotePatch, response: Note, summary: 'Change a note', responses: notFound },
    (req) => {
      const { id } = req.valid.params;
      return store.update(id, req.valid.body) ?? abort(404, `No note has the id ${id}.`);
    },
  );

  notes.delete(
    '/notes/<int:id>',
    {
      endpoint: 'delete',
      summary: 'Delete a note',
      responses: { 204: { description: 'Deleted.' }, ...notFound },
    },
    (req) => {
      if (!store.delete(req.params.id)) abort(404, `No note has the id ${req.params.id}.`);
      return ['', 204];
    },
  );

  return notes;
}
