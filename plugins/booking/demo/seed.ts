import type { PluginContext, Tx } from '../../../plugin-sdk.js';
export async function seedDemo(_ctx: PluginContext, _trx: Tx, _tenantId: string): Promise<void> {}
