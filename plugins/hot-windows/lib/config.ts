export interface HotWindowsConfig {
  discountPercent: number;
  /** major units of the business's currency */
  prepaymentAmount: number;
  bookFlowKey: string;
  bookNodeId: string;
}

/** Colors of slot kinds in the studio's calendar (and later the Mini App): regular green, hot orange, online blue. */
export const SLOT_COLORS = { regular: '#43a047', hot: '#f57c00', online: '#1e88e5' } as const;
export const HOT_EMOJI = '🔥';
