module "jobs_queue" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 3.4"

  name                    = "jobs"
  sqs_managed_sse_enabled = true
}
