import type { ServerResponse } from 'node:http';
import type { PluginContext } from '../../../plugin-sdk.js';
import { CALLS_CHANNEL, LIVE_WINDOW_MS, ringingCalls } from './live.js';

const HEARTBEAT_MS = 15_000;

/**
 * Serves one admin's stream of ringing calls: the list at once, then again on every change of the business's calls.
 * Sends are chained so a slower earlier read never overwrites a newer list; a call Mango never ended is dropped
 * when its window runs out (a timer set for the oldest one shown).
 */
export function streamCalls(ctx: PluginContext, tenantId: string, res: ServerResponse, streams: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  streams.add(res);
  let chain = Promise.resolve();
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const send = async () => {
    const items = await ringingCalls(ctx, tenantId);
    if (res.writableEnded) return;
    res.write(`event: calls\ndata: ${JSON.stringify({ items })}\n\n`);
    clearTimeout(expiry);
    const oldest = items[0] ? new Date(items[0].startedAt).getTime() : null;
    if (oldest !== null) expiry = setTimeout(push, Math.max(0, oldest + LIVE_WINDOW_MS - ctx.now().getTime()) + 1000);
  };
  const push = () => {
    chain = chain.then(send).catch((err: unknown) => ctx.log.warn({ err, tenantId }, 'telephony: the call stream could not read the ringing calls'));
  };
  const off = ctx.changes(CALLS_CHANNEL).on(tenantId, push);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  res.on('close', () => {
    clearInterval(heartbeat);
    clearTimeout(expiry);
    off();
    streams.delete(res);
  });
  push();
}
