// Type tests (checked by `npm run typecheck`): the query factories are TanStack query options that TanStack's own
// hooks and QueryClient methods accept unchanged, with typed data, errors, select and search pages.
import {
  type QueryClient,
  useInfiniteQuery,
  useQueries,
  useQuery,
  useSuspenseInfiniteQuery,
  useSuspenseQuery,
  type InfiniteData,
} from '@tanstack/react-query';
import type { ConfluenceError, Page } from '../../src/client/index';
import {
  PermissionGate,
  RequestState,
  confluenceQueries,
  confluenceQueryOptions,
  customOperation,
  useConfluenceInfiniteQuery,
  useConfluenceQuery,
  useConfluenceSuspenseQuery,
  usePermissions,
  type ConfluenceInfiniteQueryOptions,
  type ConfluenceQueryOptions,
  type ConfluenceQueryResult,
  type ContentProperty,
  type CursorPage,
  type SearchPage,
  type User,
} from '../../src/react/index';

declare const queryClient: QueryClient;

describe('confluenceQueries with TanStack', () => {
  it('useQuery and useSuspenseQuery take them unchanged, typed by the factory', () => {
    expectTypeOf(useQuery(confluenceQueries.page('1')).data).toEqualTypeOf<Page | undefined>();
    expectTypeOf(useQuery(confluenceQueries.page('1')).error).toEqualTypeOf<ConfluenceError | null>();
    expectTypeOf(useSuspenseQuery(confluenceQueries.currentUser()).data).toEqualTypeOf<User>();
    expectTypeOf(useQuery(confluenceQueries.contentProperty<{ count: number }>('1', 'tally')).data).toEqualTypeOf<
      ContentProperty<{ count: number }> | null | undefined
    >();
  });

  it('take select and placeholderData when spread', () => {
    const title = useQuery({ ...confluenceQueries.page('1'), select: (page) => page.title });
    expectTypeOf(title.data).toEqualTypeOf<string | undefined>();
    const placeholder = useQuery({ ...confluenceQueries.page('1'), placeholderData: (previous) => previous });
    expectTypeOf(placeholder.data).toEqualTypeOf<Page | undefined>();
    const suspenseTitle = useSuspenseQuery({ ...confluenceQueries.page('1'), select: (page) => page.title.length });
    expectTypeOf(suspenseTitle.data).toEqualTypeOf<number>();
  });

  it('useQueries takes a list of them', () => {
    const [page, user] = useQueries({ queries: [confluenceQueries.page('1'), confluenceQueries.currentUser()] });
    expectTypeOf(page.data).toEqualTypeOf<Page | undefined>();
    expectTypeOf(user.data).toEqualTypeOf<User | undefined>();
  });

  it('QueryClient methods take them, and the tagged key types getQueryData', async () => {
    expectTypeOf(await queryClient.fetchQuery(confluenceQueries.page('1'))).toEqualTypeOf<Page>();
    expectTypeOf(await queryClient.ensureQueryData(confluenceQueries.space('9'))).toMatchTypeOf<{ key: string }>();
    expectTypeOf(queryClient.prefetchQuery(confluenceQueries.currentUser())).toEqualTypeOf<Promise<void>>();
    expectTypeOf(queryClient.getQueryData(confluenceQueries.page('1').queryKey)).toEqualTypeOf<Page | undefined>();
    expectTypeOf(await queryClient.fetchInfiniteQuery(confluenceQueries.search('type = page'))).toEqualTypeOf<
      InfiniteData<SearchPage, string>
    >();
  });

  it('infinite options type their pages (search pages carry totalSize) and take select', () => {
    expectTypeOf(confluenceQueries.search('type = page')).toEqualTypeOf<ConfluenceInfiniteQueryOptions<SearchPage>>();
    const search = useInfiniteQuery(confluenceQueries.search('type = page'));
    expectTypeOf(search.data?.pages[0]?.totalSize).toEqualTypeOf<number | undefined>();
    const children = useSuspenseInfiniteQuery(confluenceQueries.children('1'));
    expectTypeOf(children.data.pages[0]).toEqualTypeOf<CursorPage<Page> | undefined>();
    const titles = useInfiniteQuery({
      ...confluenceQueries.pagesInSpace('9'),
      select: (data) => data.pages.flatMap((page) => page.results.map((result) => result.title)),
    });
    expectTypeOf(titles.data).toEqualTypeOf<string[] | undefined>();
    const convenience = useConfluenceInfiniteQuery(confluenceQueries.search('type = page'));
    expectTypeOf(convenience.data?.pages[0]?.totalSize).toEqualTypeOf<number | undefined>();
  });

  it('useConfluenceQuery stays a thin convenience with named result types', () => {
    expectTypeOf(useConfluenceQuery(confluenceQueries.page('1'))).toEqualTypeOf<ConfluenceQueryResult<Page>>();
    const selected = useConfluenceQuery({ ...confluenceQueries.page('1'), select: (page) => page.id });
    expectTypeOf(selected.data).toEqualTypeOf<string | undefined>();
    expectTypeOf(useConfluenceSuspenseQuery(confluenceQueries.page('1')).data).toEqualTypeOf<Page>();
  });

  it('confluenceQueryOptions builds options for a read of your own, its queryFn getting the client', () => {
    const labels = confluenceQueryOptions({
      queryKey: ['confluence', 'labels', '1'],
      queryFn: async (client, { signal }) => {
        const response = await client.request<CursorPage<{ name: string }>>({ path: '/wiki/api/v2/x', signal });
        return response.data.results;
      },
    });
    expectTypeOf(labels).toEqualTypeOf<ConfluenceQueryOptions<{ name: string }[], { name: string }[], string[]>>();
    expectTypeOf(useQuery(labels).data).toEqualTypeOf<{ name: string }[] | undefined>();
    expectTypeOf(useSuspenseQuery(labels).data).toEqualTypeOf<{ name: string }[]>();
  });
});

describe('RequestState children', () => {
  it('get the query data as defined', () => {
    const page = useQuery(confluenceQueries.page('1'));
    <RequestState query={page}>
      {(data) => {
        expectTypeOf(data).toEqualTypeOf<Page>();
        return data.title;
      }}
    </RequestState>;
  });
});

describe('operations', () => {
  it('PermissionGate and can() take the known operations, others only through customOperation', () => {
    <PermissionGate operation="update" on={{ type: 'page', id: '1' }} />;
    <PermissionGate operation={customOperation('comment')} on={{ type: 'page', id: '1' }} />;
    // @ts-expect-error a typo of "update" is a type error, not a button hidden from every editor
    <PermissionGate operation="edit" on={{ type: 'page', id: '1' }} />;
    const { can } = usePermissions({ type: 'page', id: '1' });
    can('delete');
    can(customOperation('comment'));
    // @ts-expect-error a plain string is not an operation
    can('remove');
  });
});
