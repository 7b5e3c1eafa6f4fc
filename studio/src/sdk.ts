/**
 * The studio's surface for plugins: the one studio module a plugin's `studio/` code imports (besides react
 * and its own files). Pages and zone widgets get the API client, the studio's building blocks, the business
 * and role, and their own texts. The studio bundle never reaches server code (studio/test/bundle-boundary.test.ts).
 *
 *   // plugins/<id>/studio/index.tsx — import { defineStudioPlugin, useMessages, … } from 'bookflow/studio'
 *   export default defineStudioPlugin({ pages: { notes: NotesPage }, widgets: { 'client.card': NotesCard } });
 */
import type { StudioPlugin } from './plugins/types.js';

export type { JournalBooking, PageProps, StudioPlugin, StudioZone, ZoneProps, ZoneWidgets } from './plugins/types.js';
export type { JsonSchema, LocalizedText, Locale, Business } from './types.js';

/** Types a plugin's studio module; the manifest's `studio.pages` and `studio.zones` must list the same ids. */
export const defineStudioPlugin = (plugin: StudioPlugin): StudioPlugin => plugin;

export { ApiError, api, authHeaders, del, downloadFile, get, patch, post, put, query } from './api.js';
export { useBusiness } from './business.js';
export { defineMessages, useMessages, type PluginMessages } from './plugins/messages.js';
export { useI18n } from './i18n/index.js';
export { Zone } from './plugins/Zone.js';
export { Link, navigate, usePath } from './router.js';
// Server data with TanStack Query: cached GETs per business, changes with optimistic updates and rollback.
export { invalidateApi, useApi, useApiMutation, type ApiMutationOptions, type ApiQuery } from './query.js';
export { CrudPage, pickFields, type Column, type CrudProps } from './admin/CrudPage.js';
export { SchemaForm } from './forms/SchemaForm.js';
export { errorsUnder } from './forms/schema.js';
export { forgetOptions, useOptions, type Option } from './forms/useOptions.js';
export { Dialog } from './ui/Dialog.js';
export { ErrorNote, Loading } from './ui/Status.js';
export { lazyNamed } from './ui/lazy.js';
export { useLoad } from './ui/useLoad.js';
export { useEventStream } from './ui/useEventStream.js';
