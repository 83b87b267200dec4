/* global console */
// Nothing to do yet: the check runs in post.js, after the post step of the action under test.
console.log(
  'The cleanup watch checks at job end, after the action post step, that the credentials are gone.'
);
