import Type from 'typebox';

// Schemas only, importing nothing but TypeBox: the bundler evaluates such a module at build time and ships
// its schemas as JSON (infra/src/bundle/schemas.ts), so TypeBox's type builders stay out of the Lambda bundle.

/** Who is calling: from the claims of the caller's user pool token. */
export const Caller = Type.Object(
  {
    sub: Type.String({ description: 'The user’s stable id in the pool (`sub` claim).' }),
    username: Type.Optional(Type.String({ description: '`cognito:username` (ID token) or `username` (access token).' })),
    email: Type.Optional(Type.String()),
    tokenUse: Type.String({ description: '`id` or `access`.' }),
    scopes: Type.Array(Type.String(), { description: 'The access token’s scopes; empty for an ID token.' }),
    clientId: Type.Optional(Type.String({ description: 'The app client the token was issued to (`aud` or `client_id`).' })),
  },
  { $id: 'Caller', additionalProperties: false },
);
