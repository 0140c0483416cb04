"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { ErrorMessage } from "@/components/error-message";
import { NativeSelect } from "@/components/ui/native-select";
import { useTRPC } from "@/lib/trpc";
import type { Customer } from "./customer-profile";

/** The customer's company: a link to it, and a list to set or change it. */
export function CustomerCompany({ customer }: { customer: Customer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const companies = useQuery(trpc.companies.list.queryOptions({ limit: 100 }));
  const setCompany = useMutation(
    trpc.customers.setCompany.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.companies.pathKey() });
      },
    }),
  );
  const options = companies.data?.items ?? [];
  const current = customer.company;
  return (
    <div className="grid gap-2 text-sm">
      {current ? (
        <Link
          href={`/companies/${current.id}`}
          className="font-medium underline underline-offset-2"
          data-testid="customer-company-link"
        >
          {current.name}
        </Link>
      ) : (
        <span className="text-muted-foreground">No company</span>
      )}
      <label htmlFor={selectId} className="sr-only">
        Company
      </label>
      <NativeSelect
        id={selectId}
        value={current?.id ?? ""}
        disabled={setCompany.isPending || companies.isPending}
        onChange={(e) =>
          setCompany.mutate({ customerId: customer.id, companyId: e.target.value || null })
        }
        data-testid="customer-company-select"
      >
        <option value="">No company</option>
        {current && !options.some((c) => c.id === current.id) ? (
          <option value={current.id}>{current.name}</option>
        ) : null}
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </NativeSelect>
      <ErrorMessage error={setCompany.error ?? companies.error} />
    </div>
  );
}
