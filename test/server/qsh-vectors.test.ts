import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTEXT_QSH, VerificationError, createQueryStringHash } from '../../src/server/index.js';
import { canonicalPath, createCanonicalRequest } from '../../src/server/internal/index.js';

const HELLO_WORLD_QUERY =
  'lic=none&tz=Australia%2FSydney&cp=%2Fjira&user_key=&loc=en-US&user_id=&jwt=ABC.DEF.GHI&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_c=channel-servlet-hello-world&xdm_p=1';

describe('canonical request: §c1 atlassian-jwt unit-test vectors', () => {
  it('sorts names and repeated values', () => {
    expect(
      createCanonicalRequest(
        'get',
        '/path/to/service?zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2&repeated=Parameter 2',
      ),
    ).toBe('GET&/path/to/service&first=param&repeated=Parameter%202,parameter%201,parameter%202&zee_last=param');
  });

  it('strips the base path of an absolute baseUrl', () => {
    expect(
      createCanonicalRequest(
        'get',
        '/base/path/to/service?zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2&repeated=Parameter 2',
        'https://bitbucket.org/base',
      ),
    ).toBe('GET&/path/to/service&first=param&repeated=Parameter%202,parameter%201,parameter%202&zee_last=param');
  });

  it('drops jwt and keeps empty values', () => {
    expect(createCanonicalRequest('get', '/hello-world?' + HELLO_WORLD_QUERY, '')).toBe(
      'GET&/hello-world&cp=%2Fjira&lic=none&loc=en-US&tz=Australia%2FSydney&user_id=&user_key=&xdm_c=channel-servlet-hello-world&xdm_e=http%3A%2F%2Fstorm%3A2990&xdm_p=1',
    );
  });

  it('gives parameters without a value an empty one', () => {
    expect(createCanonicalRequest('get', '/hello-world?a&b=foo&c')).toBe('GET&/hello-world&a=&b=foo&c=');
  });

  it('escapes & in the path after stripping the base path', () => {
    expect(createCanonicalRequest('post', '/jira/rest/api/2/project/jira&a=b&c=d?x=y', '/jira')).toBe(
      'POST&/rest/api/2/project/jira%26a=b%26c=d&x=y',
    );
  });

  it('uses the full original path (mounted routers do not matter)', () => {
    expect(createCanonicalRequest('get', '/jira/rest/api/2/project/jira?x=y', '/jira')).toBe(
      'GET&/rest/api/2/project/jira&x=y',
    );
  });

  it('an & smuggled into the path cannot collide with the query', () => {
    const smuggled = createCanonicalRequest('post', '/rest/api/2/project&a=b?x=y');
    const honest = createCanonicalRequest('post', '/rest/api/2/project?a=b&x=y');
    expect(smuggled).not.toBe(honest);
    expect(createQueryStringHash('post', '/rest/api/2/project&a=b?x=y')).not.toBe(
      createQueryStringHash('post', '/rest/api/2/project?a=b&x=y'),
    );
  });

  it('escapes one or several & smuggled into the path before the query', () => {
    expect(createCanonicalRequest('post', '/rest/api/2/project&a=b?x=y')).toBe('POST&/rest/api/2/project%26a=b&x=y');
    expect(createCanonicalRequest('post', '/rest/api/2/project&a=b&c=d?x=y')).toBe(
      'POST&/rest/api/2/project%26a=b%26c=d&x=y',
    );
  });

  it('qsh of GET /path', () => {
    expect(createQueryStringHash('get', '/path')).toBe(
      '799be84a7fa35570087163c0cd9af3abff7ac05c2c12ba0bb1d7eebc984b3ac2',
    );
  });

  it('qsh of GET with no path and GET /', () => {
    const expected = 'c88caad15a1c1a900b8ac08aa9686f4e8184539bea1deda36e2f649430df3239';
    expect(createQueryStringHash('get', '')).toBe(expected);
    expect(createQueryStringHash('get', '/')).toBe(expected);
  });

  it('qsh of the hello-world query ignores the jwt value', () => {
    const expected = '8063ff4ca1e41df7bc90c8ab6d0f6207d491cf6dad7c66ea797b4614b71922e9';
    expect(createQueryStringHash('get', '/hello-world?' + HELLO_WORLD_QUERY, '')).toBe(expected);
    expect(createQueryStringHash('get', '/hello-world?' + HELLO_WORLD_QUERY.replace('ABC.DEF.GHI', 'other'), '')).toBe(
      expected,
    );
  });

  it('never hashes a body: the same parameters in the POST query give the vector hash', () => {
    expect(createQueryStringHash('post', '/hello-world?' + HELLO_WORLD_QUERY)).toBe(
      'd7e7f00660965fc15745b2c423a89b85d0853c4463faca362e0371d008eb0927',
    );
  });

  it('POST with parameters only in the body hashes an empty query', () => {
    expect(createQueryStringHash('post', '/hello-world')).toBe(
      '6f95f3738e1b037a3bebbe0ad237d80fdbc1d5ae452e98ce03a9c004c178ebb4',
    );
  });
});

describe('canonical request: §c3 spec and ACSB examples', () => {
  it('Bitbucket QSH page examples', () => {
    expect(createCanonicalRequest('GET', '/?param=foo')).toBe('GET&/&param=foo');
    expect(createCanonicalRequest('POST', '/user')).toBe('POST&/user&');
  });

  it('ACSB Javadoc example with an absolute URL', () => {
    expect(
      createCanonicalRequest(
        'GET',
        'http://localhost:2990/path/to/service?zee_last=param&repeated=parameter 1&first=param&repeated=parameter 2',
      ),
    ).toBe('GET&/path/to/service&first=param&repeated=parameter%201,parameter%202&zee_last=param');
  });

  it('trailing slash and empty path', () => {
    expect(createCanonicalRequest('GET', 'http://server:80/some/path/?param=value')).toBe('GET&/some/path&param=value');
    expect(createCanonicalRequest('GET', 'http://server:80')).toBe('GET&/&');
  });

  it('SHA-256 is lower-case hex of UTF-8', () => {
    expect(createHash('sha256').update('foo').digest('hex')).toBe(
      '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
    );
  });

  it('descriptor baseUrl example: /jira-connector → /, /jira-connector/issue → /issue', () => {
    const base = 'https://addon.example.com/jira-connector';
    expect(createCanonicalRequest('GET', 'https://addon.example.com/jira-connector', base)).toBe('GET&/&');
    expect(createCanonicalRequest('GET', 'https://addon.example.com/jira-connector/issue', base)).toBe('GET&/issue&');
  });

  it('the context qsh is the literal string', () => {
    expect(CONTEXT_QSH).toBe('context-qsh');
  });
});

describe('canonical request: our decisions (documented divergences from atlassian-jwt)', () => {
  it('strips the base path only on a segment boundary', () => {
    expect(canonicalPath('/wikifoo/bar', '/wiki')).toBe('/wikifoo/bar');
    expect(canonicalPath('/wiki/foo/bar', '/wiki')).toBe('/foo/bar');
    expect(canonicalPath('/wiki', '/wiki')).toBe('/');
  });

  it('sorts by encoded names (é after z raw, before z encoded)', () => {
    expect(createCanonicalRequest('GET', '/p?z=1&%C3%A9=2')).toBe('GET&/p&%C3%A9=2&z=1');
    expect(createCanonicalRequest('GET', '/p?a%2F=1&a.=2')).toBe('GET&/p&a%2F=1&a.=2');
  });

  it('sorts repeated values by their raw decoded form, like atlassian-jwt and the Java canonicaliser', () => {
    expect(createCanonicalRequest('GET', '/p?a=%C3%A9&a=z')).toBe('GET&/p&a=z,%C3%A9');
    expect(createCanonicalRequest('GET', '/p?a=b&a=B&a=%20')).toBe('GET&/p&a=%20,B,b');
  });

  it('keeps bracketed names, __proto__ and JWT (only lower-case jwt is dropped)', () => {
    expect(createCanonicalRequest('GET', '/p?a[b]=1')).toBe('GET&/p&a%5Bb%5D=1');
    expect(createCanonicalRequest('GET', '/p?__proto__=1&z=2')).toBe('GET&/p&__proto__=1&z=2');
    expect(createCanonicalRequest('GET', '/p?jwt=x&JWT=y')).toBe('GET&/p&JWT=y');
  });

  it("encodes + as a space (%20), keeps ~ and encodes * ! ' ( )", () => {
    expect(createCanonicalRequest('GET', "/p?q=a+b&t=~*!'()")).toBe('GET&/p&q=a%20b&t=~%2A%21%27%28%29');
  });

  it('refuses non-UTF-8 and malformed percent-encoding instead of hashing them raw', () => {
    for (const query of ['a=%FF', 'a=%ED%A0%80', 'a=%E2%82', 'a=%zz', '%C3=1']) {
      let caught: unknown;
      try {
        createQueryStringHash('GET', '/p?' + query);
      } catch (error) {
        caught = error;
      }
      expect(caught, query).toBeInstanceOf(VerificationError);
      expect((caught as VerificationError).code).toBe('REQUEST_MALFORMED');
    }
  });

  it('refuses a lone surrogate in an unencoded URL string', () => {
    expect(() => createQueryStringHash('GET', '/p?a=\uD800')).toThrow(VerificationError);
  });
});
