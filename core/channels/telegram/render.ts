import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { ChannelDelivery } from '../../../plugin-sdk.js';

type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
type Button = NonNullable<ChannelDelivery['buttons']>[number][number];

const inline = (b: Button): InlineKeyboardButton =>
  b.url ? { text: b.label, url: b.url } : b.webApp ? { text: b.label, web_app: { url: b.webApp } } : { text: b.label, callback_data: b.callback ?? '' };

/**
 * Telegram's reply_markup for a message: inline buttons (short callback ids, links, Mini Apps); a contact request
 * is a reply keyboard, which a later plain message takes away.
 */
export function replyMarkup(m: Pick<ChannelDelivery, 'buttons' | 'requestContact' | 'removeKeyboard'>): Markup | undefined {
  if (m.buttons?.length) return { inline_keyboard: m.buttons.map((row) => row.map(inline)) };
  if (m.requestContact) return { keyboard: [[{ text: m.requestContact.label, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true };
  if (m.removeKeyboard) return { remove_keyboard: true };
  return undefined;
}

/** Telegram caps a message at 4096 characters and a photo caption at 1024. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
