/** A business with staff, a room and a bookable 3,000 ₽ service, for the tests of plugins built on booking. */
export { makeSalon, nextMonday, type Salon } from '../../plugins/booking/test/salon.js';
