import { HomeRedirect } from "@/components/auth/home-redirect";

export default function HomePage() {
  return <HomeRedirect />;
}
