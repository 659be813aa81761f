import { handler } from './index';

test('getViewer answers the calling user from the invocation context', async () => {
  // The shape Forge calls a resolver with: the call, its context, and the runtime's principal.
  const result = await handler(
    { call: { functionKey: 'getViewer' }, context: {} },
    { principal: { accountId: '557058:editor' } },
  );
  expect(result).toEqual({ accountId: '557058:editor' });
});

test('an unknown function is an error naming it', async () => {
  await expect(handler({ call: { functionKey: 'nope' }, context: {} })).rejects.toThrow("'nope'");
});
