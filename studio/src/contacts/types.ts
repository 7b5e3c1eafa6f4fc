/** A contact as GET /api/v1/contacts lists it. */
export interface ContactItem {
  id: string;
  name: string;
  identities: Array<{ kind: string; value: string; verified: boolean }>;
}

/** A contact's card, GET /api/v1/contacts/:id. */
export interface ContactCardData {
  id: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  birthday: string | null;
  tags: string[];
  notes: string;
  consent: { marketing: boolean | null; marketingAt: string | null; marketingSource: string | null };
  identities: Array<{ kind: string; value: string; botId: string | null; verified: boolean; unreachable: boolean }>;
  createdAt: string;
  lastSeenAt: string | null;
}
