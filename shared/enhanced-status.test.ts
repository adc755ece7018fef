import { test, assert } from '../main/testing/node-test.js';
import { describeEnhancedCode, enhancedDetails, enhancedMeaningKey, enhancedSubjects, parseEnhancedCode } from './enhanced-status.js';

test('the table covers RFC 3463 and the IANA registry', () => {
  const expected: Record<string, number> = { '0': 1, '1': 11, '2': 5, '3': 7, '4': 8, '5': 7, '6': 11, '7': 31 };
  for (const [subject, count] of Object.entries(expected)) {
    assert.equal(Object.keys(enhancedDetails).filter((k) => k.startsWith(`${subject}.`)).length, count, `subject ${subject}`);
    assert.ok(enhancedSubjects[subject]);
  }
  for (const [code, m] of Object.entries(enhancedDetails)) {
    assert.ok(m.de.trim() && m.en.trim(), code);
    assert.notEqual(m.de, m.en, code);
    assert.ok(!/undefined/.test(m.de + m.en), code);
  }
});

test('describes known codes in both languages', () => {
  assert.equal(describeEnhancedCode('5.7.8', 'de'), 'Dauerhafter Fehler – Anmeldedaten ungültig');
  assert.equal(describeEnhancedCode('5.7.8', 'en'), 'Permanent failure – Authentication credentials invalid');
  assert.equal(describeEnhancedCode('4.2.2', 'de'), 'Vorübergehender Fehler – Postfach ist voll');
  assert.equal(describeEnhancedCode('5.7.30', 'en'), 'Permanent failure – REQUIRETLS support required');
  assert.equal(describeEnhancedCode('2.1.5', 'en'), 'Success – Destination address valid');
  assert.equal(describeEnhancedCode('5.1.10', 'de'), 'Dauerhafter Fehler – Empfängerdomain nimmt ausdrücklich keine E-Mails an (Null-MX)');
});

test('unregistered codes fall back to subject, then class; garbage gives undefined', () => {
  assert.equal(describeEnhancedCode('5.7.99', 'en'), 'Permanent failure – Security or policy status');
  assert.equal(describeEnhancedCode('4.9.1', 'de'), 'Vorübergehender Fehler');
  assert.equal(describeEnhancedCode('3.1.1', 'en'), undefined);
  assert.equal(describeEnhancedCode('5.7', 'en'), undefined);
  assert.equal(describeEnhancedCode(undefined, 'en'), undefined);
  assert.equal(enhancedMeaningKey('5.7.8'), 'X.7.8');
  assert.equal(enhancedMeaningKey('5.7.99'), 'X.7.*');
  assert.equal(enhancedMeaningKey('5.9.0'), 'X.*.*');
  assert.deepEqual(parseEnhancedCode(' 5.07.008 '), { cls: '5', subject: '7', detail: '8' });
});

test('every code in the code space has a description', () => {
  for (const cls of ['2', '4', '5']) {
    for (let s = 0; s <= 9; s++) {
      for (let d = 0; d <= 40; d++) {
        for (const lang of ['de', 'en'] as const) assert.ok(describeEnhancedCode(`${cls}.${s}.${d}`, lang));
      }
    }
  }
});
