# Source me: `source examples/lambda-integration/scripts/cafe-env.sh [StackName]`.
# Reads the lab stack's outputs into shell variables the guide's commands use.
STACK="${1:-LambdaIntegrationLab}"
out() {
  aws cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
API=$(out ApiUrl); API="${API%/}"
POOL=$(out UserPoolId)
CLIENT=$(out CliClientId)
FILES=$(out FilesBucketName)
ORDERS=$(out OrdersTableName)
MENU=$(out MenuTableName)
WORKFLOW=$(out OrderWorkflowArn)
STATUS_WORKFLOW=$(out StatusWorkflowArn)
BUS_ARN=$(out EventBusArn)
ARCHIVE_ARN=$(out ArchiveArn)
ORDER_PLACED_RULE=$(out OrderPlacedRuleArn)
export STACK API POOL CLIENT FILES ORDERS MENU WORKFLOW STATUS_WORKFLOW BUS_ARN ARCHIVE_ARN ORDER_PLACED_RULE
echo "API=$API"
