import type { ChannelAdapter, IdentityKind, PluginContext } from '../../plugin-sdk.js';
import { createError } from '../errors.js';

export interface RegisteredChannel {
  adapter: ChannelAdapter;
  ctx: PluginContext;
  /** 'core', or the plugin that must be enabled for the business to use it */
  owner: string;
}

/** When a message names no channels: the contact's chats first, then email, then SMS. */
export const DEFAULT_CHANNEL_ORDER: IdentityKind[] = ['telegram', 'max', 'whatsapp', 'webchat', 'email', 'phone'];

/** The channel adapters by identity kind: core's (core/channels/adapters.ts) and plugins' (`PluginServer.channels`). */
export class ChannelRegistry {
  private readonly byKind = new Map<IdentityKind, RegisteredChannel>();

  add(owner: string, adapters: ChannelAdapter[], ctx: PluginContext): void {
    for (const adapter of adapters) {
      const existing = this.byKind.get(adapter.kind);
      if (existing) throw createError('BF_ERR_CHANNEL_DUPLICATE', { kind: adapter.kind, owner, registeredBy: existing.owner });
      this.byKind.set(adapter.kind, { adapter, ctx, owner });
    }
  }

  get(kind: IdentityKind): RegisteredChannel | undefined {
    return this.byKind.get(kind);
  }

  kinds(): IdentityKind[] {
    return [...this.byKind.keys()];
  }
}
