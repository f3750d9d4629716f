/**
 * The shapes of the API, as zod schemas. Each one does three jobs: it validates what comes in (a request that does
 * not match gets a 422 listing every problem), it types `req.valid` and what a view may return, and it describes the
 * API in /openapi.json. A `.meta({ id })` puts the schema under that name in the document's components.
 */
import { z } from 'zod';

export const Note = z
  .object({
    id: z.number().int(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    created: z.iso.datetime(),
    updated: z.iso.datetime(),
  })
  .meta({ id: 'Note', description: 'A note, as the API sends it.' });

export const NewNote = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(10_000).default(''),
    tags: z.array(z.string().trim().min(1).max(30)).max(10).default([]),
  })
  .meta({ id: 'NewNote', description: 'A note to create: only the title is required.' });

// A PATCH changes the fields it sends and keeps the others, so every field is optional and none has a default.
export const NotePatch = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    body: z.string().max(10_000).optional(),
    tags: z.array(z.string().trim().min(1).max(30)).max(10).optional(),
  })
  .meta({ id: 'NotePatch', description: 'The fields to change.' });

// Query strings are text: Flagon turns `?page=2` into the number 2 for a number field (no z.coerce needed).
export const NoteQuery = z.object({
  page: z.number().int().min(1).default(1),
  per_page: z.number().int().min(1).max(100).default(20),
  q: z.string().trim().min(1).optional().meta({ description: 'Only notes whose title or body contains this text.' }),
});

export const NotePage = z
  .object({
    items: z.array(Note),
    page: z.number().int(),
    per_page: z.number().int(),
    total: z.number().int().meta({ description: 'How many notes match, on every page.' }),
  })
  .meta({ id: 'NotePage' });

/** An error as this API sends it (RFC 9457 problem details): see the error handler in app.ts. */
export const Problem = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string() })
  .meta({ id: 'Problem' });

export type NoteOut = z.input<typeof Note>;
export type NoteIn = z.output<typeof NewNote>;
export type NoteChanges = z.output<typeof NotePatch>;
export type NoteQueryValues = z.output<typeof NoteQuery>;
