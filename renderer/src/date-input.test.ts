import { test, assert } from '../../main/testing/node-test.js';
import { clockFor, formatIsoDate, formatTime, localMoment, parseTypedDate, parseTypedTime, sendLaterOptions, shiftIsoDate, shiftTime, todayIso } from './date-input.js';

test('dates are shown day first, in each language\'s way', () => {
  assert.equal(formatIsoDate('2025-03-07', 'de'), '07.03.2025');
  assert.equal(formatIsoDate('2025-03-07', 'en'), '07/03/2025');
  assert.equal(formatIsoDate('', 'de'), '');
  assert.equal(formatIsoDate('kaputt', 'en'), '');
});

test('typed dates: day, month, year with any usual separator, short years, ISO pasted; impossible days refused', () => {
  assert.equal(parseTypedDate('7.3.2025', 'de'), '2025-03-07');
  assert.equal(parseTypedDate(' 07/03/2025 ', 'en'), '2025-03-07');
  assert.equal(parseTypedDate('7-3-25', 'de'), '2025-03-07');
  assert.equal(parseTypedDate('2025-03-07', 'en'), '2025-03-07');
  assert.equal(parseTypedDate('29.02.2024', 'de'), '2024-02-29');
  for (const bad of ['29.02.2025', '31.04.2025', '0.1.2025', '1.13.2025', '12/31', 'gestern', '', '1.1.1969', '3/7/2025x']) {
    assert.equal(parseTypedDate(bad, 'de'), null, bad);
  }
});

test('arrow-key steps cross months and years; months keep the day where they can', () => {
  assert.equal(shiftIsoDate('2025-12-31', { days: 1 }), '2026-01-01');
  assert.equal(shiftIsoDate('2025-03-01', { days: -1 }), '2025-02-28');
  assert.equal(shiftIsoDate('2025-01-31', { months: 1 }), '2025-02-28');
  assert.equal(shiftIsoDate('2025-01-15', { months: -1 }), '2024-12-15');
  assert.equal(todayIso(new Date(2025, 6, 4, 23, 59)), '2025-07-04');
});

test('times: 24 hours in German, the system locale\'s clock in English', () => {
  assert.equal(clockFor('de', 'en-US'), '24h');
  assert.equal(clockFor('de', 'de-DE'), '24h');
  assert.equal(clockFor('en', 'en-US'), '12h');
  assert.equal(clockFor('en', 'en-GB'), '24h');
  assert.equal(clockFor('en', 'de-DE'), '24h', 'English UI on a German system: the app\'s en-GB clock');
  assert.equal(clockFor('en', 'not a locale'), '24h');
  assert.equal(formatTime('14:05', '24h'), '14:05');
  assert.equal(formatTime('14:05', '12h'), '2:05 pm');
  assert.equal(formatTime('00:30', '12h'), '12:30 am');
  assert.equal(formatTime('12:00', '12h'), '12:00 pm');
  assert.equal(formatTime('', '12h'), '');
});

test('typed times: with colon or dot, hours alone, "Uhr", am/pm; impossible times refused', () => {
  const cases: Array<[string, string]> = [
    ['14:30', '14:30'], ['9:05', '09:05'], ['14.30', '14:30'], ['9', '09:00'], ['1430', '14:30'], ['8 Uhr', '08:00'], ['18h', '18:00'],
    ['2:30 pm', '14:30'], ['2pm', '14:00'], ['12 a.m.', '00:00'], ['12:15 PM', '12:15'], ['11:59 p.m.', '23:59'], ['0:00', '00:00'],
  ];
  for (const [typed, time] of cases) assert.equal(parseTypedTime(typed), time, typed);
  for (const bad of ['24:00', '12:60', '13 pm', '0 am', 'noon', '', '1:2', '12345', '-1:00']) assert.equal(parseTypedTime(bad), null, bad);
  assert.equal(shiftTime('23:50', 15), '00:05');
  assert.equal(shiftTime('00:10', -15), '23:55');
  assert.equal(shiftTime('10:00', 60), '11:00');
  assert.equal(localMoment('2026-03-02', '08:15'), new Date(2026, 2, 2, 8, 15).getTime());
  assert.equal(localMoment('', '08:15'), null);
  assert.equal(localMoment('2026-03-02', ''), null);
});

test('send-later choices: distinct moments in the future on every weekday, Monday never twice', () => {
  // 2026-03-02 is a Monday; a week of days, each at 10:30 and at 23:30 (the next day is close).
  const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  for (let offset = 0; offset < 7; offset++) {
    for (const [hour, minute] of [[10, 30], [23, 30], [7, 15]] as const) {
      const now = new Date(2026, 2, 2 + offset, hour, minute);
      const day = weekday[now.getDay()] ?? '';
      const options = sendLaterOptions(now);
      const times = options.map((o) => o.at);
      assert.equal(new Set(times).size, times.length, `${day} ${hour}:${minute}: no two choices at the same moment`);
      for (const o of options) assert.ok(o.at > now.getTime(), `${day}: ${o.id} lies in the future`);
      assert.deepEqual(options[0], { id: 'inHour', at: now.getTime() + 3_600_000 });
      const tomorrow = options.find((o) => o.id === 'tomorrow');
      assert.equal(tomorrow?.at, new Date(2026, 2, 3 + offset, 8, 0).getTime(), `${day}: tomorrow at eight`);
      const monday = options.find((o) => o.id === 'monday');
      if (day === 'Sunday') {
        assert.equal(monday, undefined, 'on a Sunday "tomorrow morning" is Monday morning: offered once');
        assert.equal(new Date(tomorrow?.at ?? 0).getDay(), 1);
      } else {
        const at = new Date(monday?.at ?? 0);
        assert.equal(at.getDay(), 1, `${day}: Monday morning is a Monday`);
        assert.equal(at.getHours(), 8);
        const days = Math.round((at.getTime() - new Date(2026, 2, 2 + offset).getTime()) / 86_400_000);
        assert.ok(days >= 2 && days <= 7, `${day}: the coming Monday (${days} days away)`);
      }
    }
  }
});
