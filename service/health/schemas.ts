import Type from 'typebox';

/** `GET /health`'s answer. Its own module: the health function's bundle holds this schema and no todo schema. */
export const Health = Type.Object(
  {
    status: Type.Literal('healthy'),
    version: Type.String(),
    uptimeSeconds: Type.Number(),
  },
  { $id: 'Health' },
);
