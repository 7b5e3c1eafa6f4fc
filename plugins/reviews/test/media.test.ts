/**
 * After the rating, the client's own words and pictures in Telegram, over the Bot API stand-in: a comment typed in
 * the chat, photos (an album answered once) and a short video fetched through getFile into core's file store, what
 * is too large, too long, too many or not a photo or MP4 answered in the client's language, a command ending it; the
 * inbox listing the media and serving them; and a published review posted once to the business's Telegram channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { JPEG, MP4 } from '../../../test/helpers/file-bytes.js';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { until } from '../../../test/helpers/wait.js';
import { moveToEleven, reviewedService, visitMaker } from './visits.js';

let kit: NodeTurnKit;
let botToken: string;
let completedVisit: ReturnType<typeof visitMaker>;
/** the owner's session: signed in again after the clock moved past the kit's one */
let owner: string;
const MIN = 60_000;
const db = () => kit.t.app.db.db;
const api = (method: string, url: string, body?: unknown, token = owner) => kit.t.api(method, url, { token, tenant: 'demo', body });

beforeAll(async () => {
  kit = await startNodeTurnKit({ plugins: ['reviews'] });
  // Many messages to one chat in a few seconds: Telegram's per-chat pace is not what this file is about.
  kit.standin.limits = null;
  const botId = (await db().selectFrom('bots').select('id').where('tenant_id', '=', kit.t.demoTenantId).where('name', '=', 'Kit bot').executeTakeFirstOrThrow()).id;
  botToken = kit.standin.calls.find((c) => c.method === 'setWebhook')!.token;
  completedVisit = visitMaker(kit, { botId, serviceId: await reviewedService(kit), firstChat: 881_000 });
  moveToEleven(kit);
});
afterAll(async () => { await kit?.close(); });

/** A visit rated in the chat: the request 2 hours later, a tap on the stars; resolves with the reply and a reader of what comes next. */
async function rated(name: string, stars: string, locale: 'en' | 'ru' = 'en') {
  const visit = await completedVisit(name, { locale });
  const next = kit.standin.reader(visit.chatId);
  kit.t.clock.advance(121 * MIN);
  const [request] = await next(1);
  const button = inlineButtons(request).find((b) => b.text === stars)!;
  expect((await kit.standin.press(botToken, visit.chatId, button.callback_data)).status).toBe(200);
  const [reply] = await next(1);
  const review = await db().selectFrom('reviews_reviews').selectAll().where('booking_id', '=', visit.bookingId).executeTakeFirstOrThrow();
  return { ...visit, reply, next, review };
}

const mediaRows = (reviewId: string) => db().selectFrom('reviews_media').selectAll().where('review_id', '=', reviewId).orderBy('created_at').execute();
const settled = (reviewId: string, count: number) => until(`${count} media of the review settled`, async () => {
  const rows = await mediaRows(reviewId);
  return rows.length === count && rows.every((r) => r.status !== 'pending') && rows;
});

describe('a review\'s comment, photos and video from the chat', () => {
  let five: Awaited<ReturnType<typeof rated>>;

  it('after the rating the bot asks for more; a typed message becomes the comment', async () => {
    five = await rated('Mila Media', '⭐5');
    expect(five.reply.text).toContain('Thank you for the rating');
    expect(five.reply.text).toContain('write a comment right here, or send photos (up to 5) and a short video (up to 60 s)');
    await kit.standin.text(botToken, five.chatId, 'Lovely manicure, thank you Olga!');
    expect((await five.next(1))[0].text).toContain('Your comment is saved');
    await kit.standin.text(botToken, five.chatId, 'Will come again.');
    await five.next(1);
    expect((await db().selectFrom('reviews_reviews').select('comment').where('id', '=', five.review.id).executeTakeFirstOrThrow()).comment)
      .toBe('Lovely manicure, thank you Olga!\nWill come again.');
  });

  it('a photo and a video are fetched through getFile into the file store, each with its preview; an album is answered once', async () => {
    const photo = JPEG(5000);
    await kit.standin.photo(botToken, five.chatId, photo, { thumb: JPEG(300), caption: 'The result' });
    expect((await five.next(1))[0].text).toBe('Photo received, thank you!');
    const before = kit.standin.sent(five.chatId).length;
    await kit.standin.photo(botToken, five.chatId, JPEG(800), { mediaGroupId: 'album-1' });
    await kit.standin.photo(botToken, five.chatId, JPEG(900), { mediaGroupId: 'album-1' });
    await kit.standin.video(botToken, five.chatId, MP4(7000), { duration: 20, thumb: JPEG(400) });
    const replies = (await five.next(2)).map((m) => m.text);
    expect(replies).toEqual(['Photo received, thank you!', 'Video received, thank you!']);
    const rows = await settled(five.review.id, 4);
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['photo', 'stored'], ['photo', 'stored'], ['photo', 'stored'], ['video', 'stored']]);
    expect(rows[0].telegram_file_id).toMatch(/^AgAC-file-/);
    expect(rows[0].thumb_file_id).not.toBeNull();
    expect(rows[3].thumb_file_id).not.toBeNull();
    const stored = await db().selectFrom('files').select(['id', 'content_type', 'size']).where('id', 'in', [rows[0].file_id, rows[3].file_id]).execute();
    expect(stored.map((f) => [f.content_type, f.size]).sort()).toEqual([['image/jpeg', 5000], ['video/mp4', 7000]]);
    // The caption joins the comment.
    expect((await db().selectFrom('reviews_reviews').select('comment').where('id', '=', five.review.id).executeTakeFirstOrThrow()).comment).toContain('\nThe result');
    expect(kit.standin.sent(five.chatId).length).toBe(before + 2);
  });

  it('too many photos, a second video, a long or large video and a file that is no photo are answered, and not kept', async () => {
    await kit.standin.photo(botToken, five.chatId, JPEG(600));
    await kit.standin.photo(botToken, five.chatId, JPEG(600));
    await kit.standin.photo(botToken, five.chatId, JPEG(600));
    await kit.standin.video(botToken, five.chatId, MP4(600));
    await kit.standin.document(botToken, five.chatId, Buffer.from('%PDF-1.7'), { name: 'receipt.pdf', mimeType: 'application/pdf' });
    const texts = (await five.next(5)).map((m) => m.text);
    expect(texts).toEqual([
      'Photo received, thank you!', 'Photo received, thank you!', 'Up to 5 photos per review: this one is left out.',
      'One video per review: this one is left out.', 'We can take photos (JPEG, PNG, WebP) and MP4 videos only.',
    ]);
    const other = await rated('Vlad Video', '⭐4');
    await kit.standin.video(botToken, other.chatId, MP4(600), { duration: 95 });
    await kit.standin.video(botToken, other.chatId, MP4(600), { reportedSize: 30 * 1024 * 1024 });
    expect((await other.next(2)).map((m) => m.text)).toEqual(['The video is too long: up to 60 seconds, please.', 'This file is too large: up to 20 MB, please.']);
    // Telegram calls it a photo, its bytes say otherwise: refused when fetched, and the client hears it then.
    await kit.standin.photo(botToken, other.chatId, Buffer.from('GIF89a not a jpeg at all'));
    expect((await other.next(2)).map((m) => m.text)).toEqual(['Photo received, thank you!', 'We can take photos (JPEG, PNG, WebP) and MP4 videos only.']);
    expect((await settled(other.review.id, 1)).map((r) => [r.status, r.reject_code])).toEqual([['rejected', 'BF_ERR_FILE_TYPE_UNSUPPORTED']]);
    expect(await mediaRows(five.review.id)).toHaveLength(6);
  });

  it('answers in the client\'s language; a command ends the wait', async () => {
    const ru = await rated('Ирина Фото', '⭐2', 'ru');
    expect(ru.reply.text).toContain('Можно написать комментарий прямо здесь');
    await kit.standin.video(botToken, ru.chatId, MP4(600), { reportedSize: 25 * 1024 * 1024 });
    expect((await ru.next(1))[0].text).toBe('Файл слишком большой: не больше 20 МБ, пожалуйста.');
    await kit.standin.text(botToken, ru.chatId, 'Мастер опоздал на полчаса');
    expect((await ru.next(1))[0].text).toContain('Комментарий сохранён');
    await kit.standin.text(botToken, ru.chatId, '/start');
    await kit.standin.text(botToken, ru.chatId, 'а это уже не к отзыву');
    await kit.t.app.flows.telegram.settled();
    expect((await db().selectFrom('reviews_reviews').select('comment').where('id', '=', ru.review.id).executeTakeFirstOrThrow()).comment).toBe('Мастер опоздал на полчаса');
  });

  it('the inbox lists each review\'s media; the files open for staff, not for a specialist', async () => {
    owner = await kit.t.login(kit.t.owner.email, kit.t.owner.password);
    const inbox = (await api('GET', '/api/v1/reviews?limit=200')).body;
    const item = inbox.items.find((r: any) => r.id === five.review.id);
    expect(item.comment).toContain('Lovely manicure');
    expect(item.media.map((m: any) => [m.kind, m.status])).toEqual([['photo', 'stored'], ['photo', 'stored'], ['photo', 'stored'], ['video', 'stored'], ['photo', 'stored'], ['photo', 'stored']]);
    const file = await fetch(`${kit.t.url}/api/v1/files/${item.media[0].fileId}`, { headers: { authorization: `Bearer ${owner}`, 'x-tenant': 'demo' } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect((await file.arrayBuffer()).byteLength).toBe(5000);
    const specialist = await kit.t.addMember(owner, 'media-spec@reviews.test', 'specialist');
    expect((await fetch(`${kit.t.url}/api/v1/files/${item.media[0].fileId}`, { headers: { authorization: `Bearer ${specialist.token}`, 'x-tenant': 'demo' } })).status).toBe(404);
  });

  it('a published review is posted once to the business\'s Telegram channel, with its first photo', async () => {
    const channel = '@demo_salon_reviews';
    const post = () => api('POST', `/api/v1/reviews/${five.review.id}/channel`);
    expect((await api('GET', '/api/v1/reviews?limit=1')).body.canPostToChannel).toBe(false);
    expect((await post()).body.code).toBe('BF_ERR_REVIEWS_NO_CONSENT');
    const consent = kit.standin.sent(five.chatId).flatMap((m) => inlineButtons(m)).find((b) => b.text === 'Yes, publish it')!;
    await kit.standin.press(botToken, five.chatId, consent.callback_data);
    await five.next(1);
    expect((await api('PATCH', `/api/v1/reviews/${five.review.id}`, { status: 'published' })).status).toBe(200);
    expect(await post()).toMatchObject({ status: 409, body: { code: 'BF_ERR_REVIEWS_CHANNEL_UNAVAILABLE' } });
    const bad = await api('PUT', '/api/v1/plugins/reviews/config', { config: { channelChatId: 'https://t.me/x' } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'BF_ERR_PLUGIN_CONFIG_INVALID' } });
    expect((await api('PUT', '/api/v1/plugins/reviews/config', { config: { channelChatId: channel } })).status).toBe(200);
    expect((await api('GET', '/api/v1/reviews?limit=1')).body.canPostToChannel).toBe(true);
    const manager = await kit.t.addMember(owner, 'media-manager@reviews.test', 'manager');
    expect((await api('POST', `/api/v1/reviews/${five.review.id}/channel`, undefined, manager.token)).status).toBe(403);

    const first = await post();
    expect(first.status).toBe(202);
    const [sent] = await kit.standin.waitForSent(channel, 1);
    expect(sent.caption).toContain('⭐⭐⭐⭐⭐');
    expect(sent.caption).toContain('Lovely manicure');
    expect(sent.caption).toContain('— Mila M.');
    expect(sent.caption).not.toContain(`+7916${five.chatId}`);
    // The photo goes as a signed link Telegram fetches: it opens without signing in, and is the review's first photo.
    const photo = await fetch(kit.t.url + new URL(sent.photo).pathname);
    expect(photo.status).toBe(200);
    expect((await photo.arrayBuffer()).byteLength).toBe(5000);
    const again = await post();
    expect(again.status).toBe(200);
    expect(again.body.messageId).toBe(first.body.messageId);
    await kit.t.app.flows.telegram.settled();
    expect(kit.standin.sent(channel)).toHaveLength(1);
    expect((await api('GET', '/api/v1/reviews?limit=200')).body.items.find((r: any) => r.id === five.review.id).channelPostedAt).toBeTruthy();
  });

  it('erasing the client takes their words, photos and video, from the file store too; the rating stays', async () => {
    const files = (await mediaRows(five.review.id)).flatMap((m) => [m.file_id, m.thumb_file_id]).filter(Boolean) as string[];
    expect(files.length).toBeGreaterThan(6);
    await db().transaction().execute((trx) => kit.t.app.host.contacts.erase(trx, kit.t.demoTenantId, five.contactId, null));
    expect(await db().selectFrom('files').select('id').where('id', 'in', files).execute()).toEqual([]);
    expect(await mediaRows(five.review.id)).toEqual([]);
    expect(await db().selectFrom('reviews_reviews').select(['rating', 'comment', 'author', 'status']).where('id', '=', five.review.id).executeTakeFirstOrThrow())
      .toEqual({ rating: 5, comment: '', author: '', status: 'hidden' });
  });
});
