// The Lambda context object the runners pass to every handler (the fields handlers read).
export const lambdaContext = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'bench',
  getRemainingTimeInMillis: () => 29_000,
};
