"""Extra policies from a fleet repository's `policies/*.yaml`: mcgen `Policy` objects (CEL)
and Kubernetes `ValidatingAdmissionPolicy` objects, evaluated offline."""
