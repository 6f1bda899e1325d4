# Read cache in front of the catalogue table.
resource "aws_dax_cluster" "catalogue" {
  cluster_name       = "catalogue"
  iam_role_arn       = aws_iam_role.dax.arn
  node_type          = "dax.r5.large"
  replication_factor = 3
}

resource "aws_iam_role" "dax" {
  name = "dax-catalogue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "dax.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
