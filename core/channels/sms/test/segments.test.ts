import { describe, expect, it } from 'vitest';
import { fitSegments, smsLength } from '../segments.js';
import { smsText } from '../channel.js';

describe('SMS length', () => {
  it('counts GSM-7 septets (extension characters twice) in parts of 160, then 153', () => {
    expect(smsLength('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
    // € and [ ] are in the extension table: an escape and a septet each.
    expect(smsLength('€[]')).toEqual({ encoding: 'gsm7', units: 6, segments: 1 });
    expect(smsLength('a'.repeat(158) + '€').segments).toBe(1);
    expect(smsLength('a'.repeat(159) + '€').segments).toBe(2);
  });

  it('counts UCS-2 code units in parts of 70, then 67, once any character is outside GSM-7', () => {
    expect(smsLength('Привет')).toEqual({ encoding: 'ucs2', units: 6, segments: 1 });
    expect(smsLength('я'.repeat(70)).segments).toBe(1);
    expect(smsLength('я'.repeat(71)).segments).toBe(2);
    expect(smsLength('я'.repeat(134)).segments).toBe(2);
    expect(smsLength('я'.repeat(135)).segments).toBe(3);
    // One emoji turns a Latin text into UCS-2, and takes two code units.
    expect(smsLength('Hi 👋')).toEqual({ encoding: 'ucs2', units: 5, segments: 1 });
  });

  it('cuts the body with an ellipsis to the part limit and keeps the links whole', () => {
    const body = 'Запись подтверждена. '.repeat(20);
    const suffix = '\nОплатить: https://pay.example/abc';
    const fitted = fitSegments(body, suffix, 2);
    expect(fitted.truncated).toBe(true);
    expect(fitted.segments).toBe(2);
    expect(fitted.text.endsWith('…' + suffix)).toBe(true);
    expect(smsLength(fitted.text).units).toBeLessThanOrEqual(134);
    // One more character of the body would not have fitted.
    const head = fitted.text.slice(0, fitted.text.length - suffix.length - 1);
    expect(smsLength(body.slice(0, head.length + 1) + '…' + suffix).segments).toBe(3);
    // A Latin text keeps GSM-7 and cuts with three dots.
    const latin = fitSegments('Your visit is confirmed. '.repeat(20), '', 1);
    expect(latin).toMatchObject({ encoding: 'gsm7', segments: 1, truncated: true });
    expect(latin.text.endsWith('...')).toBe(true);
  });

  it('never splits a surrogate pair when cutting', () => {
    const fitted = fitSegments('👍'.repeat(100), '', 1);
    expect(fitted.text).toMatch(/^(👍)+…$/u);
    expect(fitted.units).toBeLessThanOrEqual(70);
  });

  it('turns URL and Mini App buttons into "label: url" lines and leaves callback buttons out', () => {
    const sms = smsText({
      text: 'Ждём вас завтра в 10:00',
      buttons: [[{ label: 'Подтвердить', callback: 'c1' }, { label: 'Карта', url: 'https://maps.example/salon' }], [{ label: 'Приложение', webApp: 'https://app.example' }]],
    }, 3);
    expect(sms.text).toBe('Ждём вас завтра в 10:00\nКарта: https://maps.example/salon\nПриложение: https://app.example');
    expect(sms.truncated).toBe(false);
  });
});
