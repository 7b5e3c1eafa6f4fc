import { get, post, query } from 'bookflow/studio';

/** A note as GET /api/v1/example/notes lists it. */
export interface Note { id: string; text: string; contact_id: string | null; remind_at: string | null; created_at: string }

export const loadNotes = (contactId?: string) => get<{ items: Note[] }>(`/example/notes${query({ contactId })}`).then((r) => r.items);
export const addNote = (text: string, contactId?: string) => post<Note>('/example/notes', contactId ? { text, contactId } : { text });
