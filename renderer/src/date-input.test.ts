import { test, assert } from '../../main/testing/node-test.js';
import { formatIsoDate, parseTypedDate, shiftIsoDate, todayIso } from './date-input.js';

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
