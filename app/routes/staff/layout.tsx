import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { StaffFrame } from "~/components/staff-frame";
import { StaffErrorBoundary } from "~/components/staff-error";

// The frame of every signed-in staff page. Each page still guards its own loader and action
// with its own access entry; this loader only gives the frame who is signed in.
export async function loader(args: LoaderFunctionArgs) {
  const { staff } = await requireStaff(args, STAFF_ACCESS.home);
  return { staff: { displayName: staff.displayName, role: staff.role } };
}

export default function StaffLayout() {
  const { staff } = useLoaderData<typeof loader>();
  return (
    <StaffFrame staff={staff}>
      <Outlet />
    </StaffFrame>
  );
}

export function ErrorBoundary() {
  return (
    <main id="main" className="staff-main">
      <StaffErrorBoundary />
    </main>
  );
}
