import { expectTypeOf } from 'vitest';
import {
  toViewState,
  type useConfluenceContext,
  type ConfluenceViewer,
  type Messages,
  type StateKind,
} from '../../src/react/index';

test('viewer is one of four names, on the context and for toViewState', () => {
  expectTypeOf<ConfluenceViewer>().toEqualTypeOf<'user' | 'guest' | 'anonymous' | 'unlicensed'>();
  expectTypeOf<
    NonNullable<ReturnType<typeof useConfluenceContext>['data']>['viewer']
  >().toEqualTypeOf<ConfluenceViewer>();
  expectTypeOf(toViewState).parameter(1).toEqualTypeOf<ConfluenceViewer | undefined>();
});

test('the three viewer states are state kinds with texts of their own', () => {
  expectTypeOf<'anonymous' | 'guest' | 'unlicensed'>().toMatchTypeOf<StateKind>();
  expectTypeOf<Messages['anonymous']>().toEqualTypeOf<string>();
  expectTypeOf<Messages['guest']>().toEqualTypeOf<string>();
  expectTypeOf<Messages['unlicensed']>().toEqualTypeOf<string>();
});
