import { test, assert } from '../main/testing/node-test.js';
import { ExplanationSchema, explanationToAppError, renderExplanation, renderText, type Explanation } from './explanation.js';
import { AppErrorSchema } from './errors.js';

const sample: Explanation = {
  kind: 'content.tooLargeBeforeSend',
  title: { key: 'err.content.tooLargeBeforeSend.title', params: { limit: { mb: 10485760 }, size: { mb: 15938355 } } },
  happened: { key: 'err.content.tooLargeBeforeSend.happened', params: { limit: { mb: 10485760 }, size: { mb: 15938355 } } },
  cause: { key: 'err.content.tooLargeBeforeSend.cause' },
  actions: [{ key: 'act.shrinkMessage', params: { limit: { mb: 10485760 } } }],
  retryable: false,
  permanent: true,
  autoRetry: false,
  recipients: [],
  technical: { phase: 'mail', cause: 'size-limit', message: 'message exceeds SIZE', host: 'smtp.web.de', port: 587, security: 'starttls' },
};

test('renders sizes in MB with the language’s decimal separator', () => {
  assert.equal(renderExplanation(sample, 'de').happened, 'Die Nachricht ist 15 MB groß, der Server nimmt aber höchstens 10 MB an. Postbote hat sie nicht gesendet.');
  assert.match(renderText({ key: 'act.shrinkMessage', params: { limit: { mb: 5 * 1024 * 1024 + 300000 } } }, 'de'), /5,3 MB/);
  assert.match(renderText({ key: 'act.shrinkMessage', params: { limit: { mb: 5 * 1024 * 1024 + 300000 } } }, 'en'), /5\.3 MB/);
});

test('resolves references and enhanced-code meanings in parameters', () => {
  const t = renderText({ key: 'err.unknown.permanent.happened', params: { code: 554, phase: { ref: 'phase.data' }, meaning: { enhanced: '5.3.5' } } }, 'en');
  assert.equal(t, 'The server answered with code 554 during the step “sending the message”: Permanent failure – System incorrectly configured.');
});

test('a missing key or parameter never shows as undefined or a raw key', () => {
  assert.equal(renderText({ key: 'no.such.key' }, 'de'), 'Hierzu ist keine Beschreibung verfügbar.');
  assert.ok(!renderText({ key: 'act.removeRecipient' }, 'en').includes('{'));
});

test('technical section: phase, server, message', () => {
  const tech = renderExplanation(sample, 'de').technical;
  assert.deepEqual(tech, ['Schritt: Absender nennen (mail)', 'Server: smtp.web.de:587 (STARTTLS)', 'Technische Beschreibung: message exceeds SIZE']);
});

test('schema rejects an explanation without actions; AppError conversion keeps the detail', () => {
  assert.equal(ExplanationSchema.safeParse({ ...sample, actions: [] }).success, false);
  const app = explanationToAppError(sample);
  assert.ok(AppErrorSchema.safeParse(app).success);
  assert.equal(app.kind, 'content.tooLargeBeforeSend');
  assert.equal(app.detail?.context?.host, 'smtp.web.de');
  assert.equal(app.params?.limit, 10485760);
});
