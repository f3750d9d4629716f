/**
 * Where the notes live: in memory, one store per app, so each test starts empty. Swap it for a database when you
 * need one; the views only call these five methods.
 */
import type { NoteChanges, NoteIn, NoteOut, NoteQueryValues } from './schemas.js';

export class NoteStore {
  readonly #notes = new Map<number, NoteOut>();
  #nextId = 1;

  list({ page, per_page, q }: NoteQueryValues): { items: NoteOut[]; total: number } {
    const needle = q?.toLowerCase();
    const matching = [...this.#notes.values()].filter(
      (note) =>
        needle === undefined || note.title.toLowerCase().includes(needle) || note.body.toLowerCase().includes(needle),
    );
    return { items: matching.slice((page - 1) * per_page, page * per_page), total: matching.length };
  }

  get(id: number): NoteOut | undefined {
    return this.#notes.get(id);
  }

  create(fields: NoteIn): NoteOut {
    const now = new Date().toISOString();
    const note = { id: this.#nextId++, ...fields, created: now, updated: now };
    this.#notes.set(note.id, note);
    return note;
  }

  update(id: number, changes: NoteChanges): NoteOut | undefined {
    const note = this.#notes.get(id);
    if (note === undefined) return undefined;
    // Only the fields sent: a key zod left out (not sent) must not overwrite the note's value with undefined.
    const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const updated = { ...note, ...sent, updated: new Date().toISOString() };
    this.#notes.set(id, updated);
    return updated;
  }

  delete(id: number): boolean {
    return this.#notes.delete(id);
  }
}
