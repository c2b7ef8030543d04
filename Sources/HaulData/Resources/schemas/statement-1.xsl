<?xml version="1.0" encoding="UTF-8"?>
<!--
  The prosecutor's statement of information (Proceeds of Crime Act 2002, s.16), from a Haul case
  file (urn:haul:ns:case:1): the benefit and each item of it with its basis, the available amount
  and each asset with its value and whose interest it is, the recoverable amount, the figures the
  court is asked to find, a statement of truth and a signature block. Every figure is Haul's, as
  the case file carries it (the confiscation position as of the statement's date); the stylesheet
  only lays out text. Parameters: author, role (optional), date.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:h="urn:haul:ns:case:1"
                exclude-result-prefixes="h">

  <xsl:include href="print-common.xsl"/>
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:param name="author"/>
  <xsl:param name="role"/>
  <xsl:param name="date"/>

  <xsl:template match="/h:case">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8"/>
        <title>Statement of information — <xsl:value-of select="h:header/h:reference"/></title>
        <style>
          <xsl:call-template name="paged-media-style"/>
          body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; color: #111; max-width: 180mm; margin: 2em auto; line-height: 1.4; }
          h1 { font-size: 15pt; margin: 0.6em 0 0.2em; }
          h2 { font-size: 12pt; margin: 1.4em 0 0.4em; }
          .meta { color: #333; margin: 0.1em 0; }
          table { border-collapse: collapse; width: 100%; }
          table.lines { table-layout: fixed; }
          th, td { border-bottom: 1px solid #bbb; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
          th { background: #eee; font-size: 9.5pt; }
          td.amount, th.amount { text-align: right; white-space: nowrap; }
          td.basis { font-size: 9pt; color: #333; }
          .note { font-size: 9pt; color: #333; }
          .with-next, h2 { break-after: avoid; page-break-after: avoid; }
          ol.findings li { margin: 0.3em 0; }
          div.findings { break-inside: avoid; page-break-inside: avoid; }
          .truth { margin-top: 2em; border-top: 1px solid #444; padding-top: 0.6em; break-inside: avoid; }
          .signature td { border: none; padding: 0.6em 0.4em 0.2em 0; }
          .illustrative { border: 1px solid #a00; color: #a00; padding: 0.3em 0.6em; margin: 0.8em 0; }
          footer { margin-top: 2em; font-size: 8pt; color: #555; border-top: 1px solid #bbb; padding-top: 0.4em; }
          @media print { body { margin: 0; max-width: none; } .running { height: 0; margin: 0; overflow: hidden; } }
        </style>
      </head>
      <body>
        <p class="running"><xsl:call-template name="running-title"/><xsl:text> — Statement of information</xsl:text></p>
        <xsl:call-template name="title-of-proceedings"/>
        <h1>Statement of information</h1>
        <p class="meta">Proceeds of Crime Act 2002, section 16: the prosecutor's statement of matters relevant to the defendant's benefit and the available amount.</p>
        <p class="meta"><strong>Case</strong><xsl:text> </xsl:text><xsl:value-of select="h:header/h:reference"/>
          <xsl:if test="h:header/h:operationName"> — <xsl:value-of select="h:header/h:operationName"/></xsl:if></p>
        <p class="meta"><strong>Prepared by</strong><xsl:text> </xsl:text><xsl:value-of select="$author"/><xsl:if test="$role != ''">, <xsl:value-of select="$role"/>,</xsl:if> on <xsl:call-template name="long-date"><xsl:with-param name="date" select="$date"/></xsl:call-template></p>
        <xsl:if test="h:header/h:illustrative = 'true'">
          <p class="illustrative">Illustrative case: its details and some figures are made up for demonstration and are not evidence.</p>
        </xsl:if>
        <!-- Haul's calculator marks each line counting a figure that rests on an illustrative price row. -->
        <xsl:if test="h:confiscation/h:line[contains(h:description, '[I]')]">
          <p class="illustrative">Values marked [I] rest on illustrative price rows: they show the method and are not evidence of value.</p>
        </xsl:if>

        <xsl:choose>
          <xsl:when test="h:confiscation">
            <xsl:variable name="c" select="h:confiscation"/>
            <h2>1. The benefit</h2>
            <xsl:call-template name="lines"><xsl:with-param name="lines" select="$c/h:line[@section = 'benefit']"/></xsl:call-template>
            <h2>2. The available amount</h2>
            <xsl:call-template name="lines"><xsl:with-param name="lines" select="$c/h:line[@section = 'available']"/></xsl:call-template>
            <xsl:if test="h:seizures/h:seizure/h:items/h:item/h:interests/h:interest">
              <p class="note with-next">Interests recorded in the assets:</p>
              <table>
                <thead><tr><th>Item</th><th>Person</th><th>Interest</th></tr></thead>
                <tbody>
                  <xsl:for-each select="h:seizures/h:seizure/h:items/h:item/h:interests/h:interest">
                    <xsl:variable name="person" select="@person"/>
                    <tr>
                      <td><xsl:value-of select="../../@id"/> (<xsl:value-of select="../../@exhibit"/>)</td>
                      <td><xsl:value-of select="/h:case/h:people/h:person[@id = $person]"/> (<xsl:value-of select="/h:case/h:people/h:person[@id = $person]/@role"/>)</td>
                      <td><xsl:value-of select="@kind"/><xsl:if test="@percent">, <xsl:value-of select="@percent"/> %</xsl:if><xsl:if test="h:amount">, <xsl:apply-templates select="h:amount" mode="money"/></xsl:if></td>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
            </xsl:if>
            <h2>3. The recoverable amount</h2>
            <xsl:call-template name="lines"><xsl:with-param name="lines" select="$c/h:line[@section = 'recoverable']"/></xsl:call-template>
            <xsl:if test="$c/h:line[@section = 'flag']">
              <h2>Matters to which the court's attention is drawn</h2>
              <xsl:call-template name="lines"><xsl:with-param name="lines" select="$c/h:line[@section = 'flag']"/></xsl:call-template>
            </xsl:if>
            <div class="findings">
            <h2>4. The court is asked to find</h2>
            <ol class="findings">
              <li>that the defendant's benefit from the relevant criminal conduct is <strong><xsl:apply-templates select="$c/h:benefit" mode="money"/></strong> (s.8)<xsl:if test="$c/h:line[@section = 'benefit'][contains(h:description, '[I]')]">, a figure that includes values marked [I]</xsl:if>;</li>
              <li>that the available amount is <strong><xsl:apply-templates select="$c/h:availableAmount" mode="money"/></strong> (s.9)<xsl:if test="$c/h:line[@section = 'available'][contains(h:description, '[I]')]">, a figure that includes values marked [I]</xsl:if>;</li>
              <li>that the recoverable amount, and so the amount of the confiscation order, is <strong><xsl:apply-templates select="$c/h:recoverableAmount" mode="money"/></strong> (s.7).</li>
            </ol>
            <!-- An order already recorded for another sum (made, or varied, since the figures were
                 proposed): said, so the statement never contradicts the record silently. Compared
                 as text, both written to the currency's minor unit. -->
            <xsl:if test="$c/h:order and string($c/h:order/h:amount) != string($c/h:recoverableAmount)">
              <p>A confiscation order (<xsl:value-of select="$c/h:order/h:reference"/>, made on <xsl:call-template name="long-date"><xsl:with-param name="date" select="$c/h:order/h:madeOn"/></xsl:call-template>) for <strong><xsl:apply-templates select="$c/h:order/h:amount" mode="money"/></strong> is already recorded in this case; it differs from the recoverable amount set out above.</p>
            </xsl:if>
            <p class="note">Figures as at <xsl:call-template name="long-date"><xsl:with-param name="date" select="$c/h:decidedOn"/></xsl:call-template>.</p>
            </div>
          </xsl:when>
          <xsl:otherwise>
            <p>No confiscation figures are recorded in this case.</p>
          </xsl:otherwise>
        </xsl:choose>

        <div class="truth">
          <p><strong>Statement of truth.</strong> I believe that the facts stated in this statement are true.</p>
          <table class="signature">
            <tr><td>Signed</td><td>.....................................................</td></tr>
            <tr><td>Name</td><td><xsl:value-of select="$author"/></td></tr>
            <xsl:if test="$role != ''"><tr><td>Position</td><td><xsl:value-of select="$role"/></td></tr></xsl:if>
            <xsl:if test="h:proceedings/h:prosecutor"><tr><td>On behalf of</td><td><xsl:value-of select="h:proceedings/h:prosecutor"/></td></tr></xsl:if>
            <tr><td>Date</td><td><xsl:call-template name="long-date"><xsl:with-param name="date" select="$date"/></xsl:call-template></td></tr>
          </table>
        </div>

        <footer>
          Prepared from a Haul case file (schema version <xsl:value-of select="@schemaVersion"/>) by the stylesheet statement-1.xsl.
          <xsl:if test="h:history/@chainHead"> Event chain head <xsl:value-of select="h:history/@chainHead"/>.</xsl:if>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- The computation's lines of one section: description (and its working), amount, statutory basis. -->
  <xsl:template name="lines">
    <xsl:param name="lines"/>
    <!-- The same columns in every section, so the amounts line up down the page. -->
    <table class="lines">
      <colgroup><col style="width: 53%"/><col style="width: 22%"/><col style="width: 25%"/></colgroup>
      <thead><tr><th>Description</th><th class="amount">Amount</th><th>Basis</th></tr></thead>
      <xsl:for-each select="$lines">
        <tbody class="keep">
          <tr>
            <td><xsl:value-of select="h:description"/><xsl:if test="h:note"><div class="note"><xsl:value-of select="h:note"/></div></xsl:if></td>
            <td class="amount"><xsl:apply-templates select="h:amount" mode="money"/></td>
            <td class="basis"><xsl:value-of select="@basis"/></td>
          </tr>
        </tbody>
      </xsl:for-each>
    </table>
  </xsl:template>
</xsl:stylesheet>
