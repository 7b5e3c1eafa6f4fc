import { Type } from '@sinclair/typebox';
import { BookingStatus, DateTimeString, Uuid } from './schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** Where a booking came from; `answers` are the client's own words, so only the booking's details carry them. */
export const BookingOriginSchema = Type.Object({
  source: Type.Union(['flow', 'test-chat', 'desk', 'public', 'waitlist', 'plugin'].map((s) => Type.Literal(s)), { description: 'a bot flow, the studio test chat, the desk, the public API or widget, a waitlist offer, another plugin' }),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'the chat channel of a flow\'s booking: telegram, webchat' }),
  answers: Type.Array(Type.Object({
    variable: Type.String(),
    label: Type.String({ description: 'the question the flow asked' }),
    value: Type.String(),
  }, { additionalProperties: false }), { description: 'what the client answered the flow that booked' }),
}, { additionalProperties: false });

/** `GET /bookings/:id`: the booking as lists show it, and where it came from. */
export const BookingDetailsSchema = Type.Object({
  id: Uuid,
  start: DateTimeString,
  end: DateTimeString,
  status: BookingStatus,
  serviceId: Uuid,
  serviceName: Type.String(),
  resourceIds: Type.Array(Uuid),
  client: Type.Object({ id: Uuid, name: Type.String(), phone: Nullable(Type.String()) }, { additionalProperties: false }),
  contactPhone: Nullable(Type.String()),
  price: Type.Number(),
  kind: Type.String(),
  seats: Type.Integer(),
  source: Type.String(),
  comment: Type.String(),
  cancelReason: Nullable(Type.String()),
  holdExpiresAt: Nullable(DateTimeString),
  clientConfirmedAt: Nullable(DateTimeString),
  sessionId: Nullable(Uuid),
  test: Type.Boolean(),
  createdAt: DateTimeString,
  updatedAt: DateTimeString,
  origin: BookingOriginSchema,
}, { additionalProperties: false });
