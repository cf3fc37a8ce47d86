import { describe, expect, it } from 'vitest';
import { createApp } from '../../service/app';
import { serve } from '../support/http';

describe('a user pool route called without the gateway’s claims', () => {
  it('answers 401 {"message":"Unauthorized"} as the gateway would, never 500', async () => {
    const server = await serve(createApp({ userPool: true, logger: { error: () => {} } }));
    try {
      const res = await fetch(`${server.url}/api/v1/me`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
    } finally {
      await server.close();
    }
  });
});
