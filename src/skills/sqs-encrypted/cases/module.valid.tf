module "jobs_queue" {
  source  = "terraform-aws-modules/sqs/aws"
  version = "~> 4.0"

  name       = "jobs"
  create_dlq = true
}
