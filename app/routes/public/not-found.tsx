// Any unknown address: a 404 that still runs the root loader, so the error page speaks the
// visitor's language and shows the operator's name.
export function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}
