import { defineStudioPlugin } from 'bookflow/studio';
import { ClientNotes } from './ClientNotes.js';
import { NotesPage } from './NotesPage.js';

/** The example's admin UI: plugin.json `studio` lists the page (`notes`) and the zone its widget fills (`client.card`). */
export default defineStudioPlugin({
  pages: { notes: NotesPage },
  widgets: { 'client.card': ClientNotes },
});
