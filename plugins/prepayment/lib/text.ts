import type { Locale, LocalizedText, PluginContext } from '../../../plugin-sdk.js';

/** One of this plugin's texts in every language: a message is written once and read in the client's. */
export const everyLanguage = (ctx: PluginContext, key: string, vars?: Record<string, unknown>): LocalizedText =>
  ({ en: ctx.t('en', key, vars), ru: ctx.t('ru', key, vars), uk: ctx.t('uk', key, vars) });

/** Vars per language (a formatted amount differs by locale) rendered into one text per language. */
export const perLanguage = (ctx: PluginContext, key: string, vars: (l: Locale) => Record<string, unknown>): LocalizedText =>
  ({ en: ctx.t('en', key, vars('en')), ru: ctx.t('ru', key, vars('ru')), uk: ctx.t('uk', key, vars('uk')) });

export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
