import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { ChatMessage } from '../../flow/session.js';

/** Telegram's reply_markup for a message: inline buttons carry short callback ids; a contact request is a reply keyboard. */
export function replyMarkup(m: ChatMessage): InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | undefined {
  if (m.buttons?.length) return { inline_keyboard: m.buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: b.callback }))) };
  if (m.requestContact) return { keyboard: [[{ text: m.requestContact.label, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true };
  return undefined;
}

/** Telegram caps a message at 4096 characters and a photo caption at 1024. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
