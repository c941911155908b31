import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter({ out: 'build' }),
    // Served by the API on its socket, the app cannot tell http from https, so SvelteKit's origin check
    // would refuse every form on plain http. hooks.server.ts makes the same check on the host instead.
    csrf: { trustedOrigins: ['*'] },
  },
};
